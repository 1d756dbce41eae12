import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { User } from '#users';
import type { CapabilitiesSnapshot } from './upstream/probe-server.js';

export enum ServerTransport {
  STDIO = 'STDIO',
  SSE = 'SSE',
  STREAMABLE_HTTP = 'STREAMABLE_HTTP',
}

/** An env variable or header; `value` is sealed with SecretBox (context `server:<id>:env|header:<name>`). */
export interface SealedEntry {
  name: string;
  value: string;
}

@Entity('mcp_servers')
export class McpServer {
  /** Generated in code (not by the database): secrets are sealed with the row id as context before the insert. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

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

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Index()
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<User>;

  /** Last successful discovery (testServer); kept when a later test fails. */
  @Column({ type: 'jsonb', nullable: true })
  capabilities!: CapabilitiesSnapshot | null;

  @Column({ name: 'capabilities_at', type: 'timestamptz', nullable: true })
  capabilitiesAt!: Date | null;

  /** Error of the last test; null after a successful one. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
