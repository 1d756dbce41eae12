import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { McpServer } from '#servers';

/** Where the pre-fetch of an installed stdio server's npm package stands. */
export enum InstallationState {
  QUEUED = 'QUEUED',
  /** Asking the registry for the package's manifest: a missing package or version fails here. */
  RESOLVING = 'RESOLVING',
  /** Downloading the package and its dependencies into the npx cache. */
  DOWNLOADING = 'DOWNLOADING',
  READY = 'READY',
  FAILED = 'FAILED',
}

/**
 * The pre-fetch of the npm package a catalog install runs with `npx`, one per installed stdio server (goes with the
 * server: ON DELETE CASCADE). Written by the job, read by the dashboard while it waits.
 */
@Entity('server_installations')
export class ServerInstallation {
  @PrimaryColumn({ name: 'server_id', type: 'uuid', primaryKeyConstraintName: 'PK_server_installations' })
  serverId!: string;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id', foreignKeyConstraintName: 'FK_server_installations_server' })
  server?: Relation<McpServer>;

  /** `<name>@<version>`, as npx is given it. */
  @Column({ name: 'package_spec', type: 'text' })
  packageSpec!: string;

  @Column({ type: 'enum', enum: InstallationState, enumName: 'installation_state' })
  state!: InstallationState;

  /** Percent, by phase: 0 queued, 25 resolving, 50 downloading, 100 ready (npm does not say how much is left). */
  @Column({ type: 'int', default: 0 })
  progress!: number;

  /** Registry requests answered so far: moves while npm downloads. */
  @Column({ type: 'int', default: 0 })
  fetched!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
