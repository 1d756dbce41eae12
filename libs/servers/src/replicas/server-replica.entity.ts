import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer, ServerTransport, type SealedEntry } from '../mcp-server.entity.js';

/**
 * An additional instance of a server (its own URL, or the same command run again). The server's own transport is
 * its first replica; these are the others. Secrets are sealed with the replica's id as context.
 */
@Entity('server_replicas')
@Audited({ secrets: ['env', 'headers'] })
export class ServerReplica {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne(() => McpServer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id' })
  server?: Relation<McpServer>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: ServerTransport, enumName: 'server_transport' })
  transport!: ServerTransport;

  @Column({ type: 'text', nullable: true })
  command!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  args!: string[];

  @Column({ type: 'text', nullable: true })
  cwd!: string | null;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  env!: SealedEntry[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  headers!: SealedEntry[];

  @Column({ type: 'integer', default: 1 })
  weight!: number;

  /** Tier: replicas of a higher number are used only when every replica of a lower number is down. */
  @Column({ type: 'integer', default: 0 })
  priority!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
