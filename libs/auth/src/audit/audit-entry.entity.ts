import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How an audited operation ended: done, refused (not allowed, not found, not signed in, throttled), or failed. */
export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  DENIED = 'DENIED',
  FAILED = 'FAILED',
}

export type AuditOperation = 'INSERT' | 'UPDATE' | 'DELETE';

/** One changed field. Secret fields carry no value, only `[secret changed]` and, for name/value lists, the names. */
export interface AuditFieldChange {
  name: string;
  old?: unknown;
  new?: unknown;
  secret?: true;
  /** Names of the entries of a secret name/value list (env, headers) that were added, removed or changed. */
  entries?: string[];
}

/** One row written by the operation. */
export interface AuditChange {
  entity: string;
  id: string | null;
  op: AuditOperation;
  fields: AuditFieldChange[];
}

/**
 * The audit trail: one entry per mutation (or sign-in), written in the transaction of the change it describes.
 * No foreign keys: entries outlive the users and things they name, so the actor's email is kept beside the id.
 */
@Entity('audit_log')
@Index('IDX_audit_log_at_id', ['at', 'id'])
@Index('IDX_audit_log_actor', ['actorId', 'at', 'id'])
@Index('IDX_audit_log_target', ['targetType', 'targetId', 'at', 'id'])
@Index('IDX_audit_log_action', ['action', 'at', 'id'])
// Refusals and failures are few and the ones people look for.
@Index('IDX_audit_log_not_success', ['at', 'id'], { where: `"outcome" <> 'SUCCESS'` })
export class AuditEntry {
  /** Chosen by the writer, so a later transaction of the same mutation can add its changes to this entry. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Millisecond precision: a JavaScript Date holds it exactly, so (at, id) cursors neither skip nor repeat rows. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'clock_timestamp()' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  /** The actor's email when the entry was written; for a refused sign-in, the account that was tried. */
  @Column({ name: 'actor_label', type: 'text', nullable: true })
  actorLabel!: string | null;

  @Column({ name: 'auth_method', type: 'text', nullable: true })
  authMethod!: string | null;

  /** The GraphQL mutation (e.g. `updateServer`) or another named action. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  changes!: AuditChange[];

  @Column({ type: 'enum', enum: AuditOutcome, enumName: 'audit_outcome' })
  outcome!: AuditOutcome;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;
}
