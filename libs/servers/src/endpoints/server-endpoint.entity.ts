import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Audited } from '#auth';
import { McpServer } from '../mcp-server.entity.js';
import { ServerTransport, type SealedEntry } from './endpoint-transport.js';

/**
 * How to reach a server: one row per instance, the server's first one (`primary`) included. The others are its
 * replicas. Secrets are sealed with the endpoint's own id as context; the primary endpoint's id is the server's id
 * (checked by the database), which health history, routing rules and metrics use to name it.
 */
@Entity('server_endpoints')
@Check('server_endpoints_primary_has_server_id', '"primary" = ("id" = "server_id")')
@Audited({ name: 'ServerEndpoint', secrets: ['env', 'headers'] })
export class ServerEndpoint {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_server_endpoints' })
  id!: string;

  @Index('IDX_server_endpoints_server')
  @Column({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  // 'disable': saving a server never detaches an endpoint it did not load (one added meanwhile stays).
  @ManyToOne(() => McpServer, (server) => server.endpoints, { onDelete: 'CASCADE', orphanedRowAction: 'disable' })
  @JoinColumn({ name: 'server_id', foreignKeyConstraintName: 'FK_server_endpoints_server' })
  server?: Relation<McpServer>;

  /** The server's own transport: the one its configuration (updateServer) edits; exactly one per server. */
  @Column({ type: 'boolean', default: false })
  primary!: boolean;

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

  /** Tier: endpoints of a higher number are used only when every endpoint of a lower number is down. */
  @Column({ type: 'integer', default: 0 })
  priority!: number;

  /** Always true for the primary (the server's own switch turns the whole server off). */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
