import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Audited } from '#auth';
import { User, type ResourceShare } from '#users';
import type { CapabilitiesSnapshot } from './upstream/probe-server.js';
import { ServerEndpoint } from './endpoints/server-endpoint.entity.js';
import { ServerTransport, type SealedEntry } from './endpoints/endpoint-transport.js';

// Defined beside the endpoint entity (which uses them in its decorators) to keep the two entities' imports acyclic.
export { ServerTransport, type SealedEntry };

/**
 * Whose upstream connection serves a call: SHARED, one for everybody (its `${NAME}`s filled from the owner's
 * credentials); PER_USER, one per person calling it, filled from that person's credentials.
 */
export enum ServerCredentialScope {
  SHARED = 'SHARED',
  PER_USER = 'PER_USER',
}

/** How calls are spread over a server's replicas (within one priority tier). */
export enum LoadBalancing {
  ROUND_ROBIN = 'ROUND_ROBIN',
  WEIGHTED = 'WEIGHTED',
  LEAST_IN_FLIGHT = 'LEAST_IN_FLIGHT',
}

/**
 * Where the hubs' connection to the server lives when several hubs share the load: EVERY_HUB, each hub connects
 * (runs its own stdio process) — right for stateless servers, no forwarding; ONE_HUB, one hub holds it (elected in
 * Redis) and the others forward their calls there — for servers that keep state in their process or session.
 */
export enum ConnectionPlacement {
  EVERY_HUB = 'EVERY_HUB',
  ONE_HUB = 'ONE_HUB',
}

/** A new server's placement when none is given: a stdio process may keep state, an HTTP server's sessions are its own. */
export const defaultConnectionPlacement = (transport: ServerTransport): ConnectionPlacement =>
  transport === ServerTransport.STDIO ? ConnectionPlacement.ONE_HUB : ConnectionPlacement.EVERY_HUB;

@Entity('mcp_servers')
@Audited({ name: 'Server' })
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

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'credential_scope', type: 'enum', enum: ServerCredentialScope, enumName: 'server_credential_scope', default: ServerCredentialScope.SHARED })
  credentialScope!: ServerCredentialScope;

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

  @Column({ name: 'load_balancing', type: 'enum', enum: LoadBalancing, enumName: 'load_balancing', default: LoadBalancing.ROUND_ROBIN })
  loadBalancing!: LoadBalancing;

  /** Failover may re-send any tool call to another replica (not only idempotent or read-only ones). */
  @Column({ name: 'retry_calls', type: 'boolean', default: false })
  retryCalls!: boolean;

  @Column({ name: 'connection_placement', type: 'enum', enum: ConnectionPlacement, enumName: 'connection_placement', default: ConnectionPlacement.EVERY_HUB })
  connectionPlacement!: ConnectionPlacement;

  @Column({ name: 'health_check_interval_seconds', type: 'integer', default: 30 })
  healthCheckIntervalSeconds!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * How to reach it, the primary first (see primaryEndpoint). Loaded with every find (the server is unusable without
   * them) and saved with the server, in its transaction.
   */
  @OneToMany(() => ServerEndpoint, (endpoint) => endpoint.server, { eager: true, cascade: ['insert', 'update'] })
  endpoints!: Relation<ServerEndpoint>[];

  /** Not a column: loaded with the row where the access policy decides about it (ResourceSharesRepository.attach). */
  shares?: ResourceShare[];
}
