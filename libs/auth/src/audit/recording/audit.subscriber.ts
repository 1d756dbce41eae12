import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntityMetadata,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { AuditEntry, type AuditChange } from '../audit-entry.entity.js';
import { AuditLogWriter } from '../audit-log.writer.js';
import { currentAuditScope, type AuditScope } from './audit-scope.js';
import { insertChange, isOmitted, removeChange, updateChange } from './row-changes.js';

/** Changes of one transaction of an audited operation, each at the savepoint depth that made it. */
interface Pending {
  scope: AuditScope;
  changes: { depth: number; change: AuditChange | null }[];
  /** The entry written at commit; it exists only if the commit succeeds. */
  writtenId: string | null;
}

/** Nesting of the runner's transaction (1 = outermost, deeper = savepoints). TypeORM keeps it protected. */
const depthOf = (runner: QueryRunner) => (runner as unknown as { transactionDepth: number }).transactionDepth;

/**
 * The one place mutations are audited from: it notes every row an audited operation inserts, updates or deletes
 * through TypeORM and, just before that transaction commits, writes the operation's entry on the same transaction
 * (never another connection: on PGlite that would wait for this one forever). A rolled-back transaction (or savepoint)
 * takes its changes, and the entry, with it. Writes of an audited operation outside a transaction are refused: their
 * entry could not commit with them.
 */
@Injectable()
export class AuditSubscriber implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Pending>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly writer: AuditLogWriter,
  ) {
    dataSource.subscribers.push(this);
  }

  beforeInsert(event: InsertEvent<object>) {
    this.assertInTransaction(event, 'INSERT');
  }

  beforeUpdate(event: UpdateEvent<object>) {
    this.assertInTransaction(event, 'UPDATE');
  }

  beforeRemove(event: RemoveEvent<object>) {
    this.assertInTransaction(event, 'DELETE');
  }

  afterInsert(event: InsertEvent<object>) {
    this.note(event, () => insertChange(event.metadata, event.entity));
  }

  afterUpdate(event: UpdateEvent<object>) {
    this.note(event, () => updateChange(event.metadata, event.entity ?? {}, event.databaseEntity, event.updatedColumns));
  }

  afterRemove(event: RemoveEvent<object>) {
    const id = event.entityId === undefined || event.entityId === null || typeof event.entityId === 'object' ? null : String(event.entityId);
    this.note(event, () => removeChange(event.metadata, event.databaseEntity ?? event.entity, id));
  }

  async beforeTransactionCommit(event: TransactionCommitEvent) {
    const pending = this.pending.get(event.queryRunner);
    if (!pending) return;
    const depth = depthOf(event.queryRunner);
    if (depth > 1) {
      // A savepoint is released: its changes now belong to the enclosing transaction.
      for (const c of pending.changes) if (c.depth >= depth) c.depth = depth - 1;
      return;
    }
    const changes = pending.changes.map((c) => c.change).filter((c): c is AuditChange => c !== null);
    pending.writtenId = await this.writer.writeInTransaction(event.manager, pending.scope, changes);
    pending.changes = changes.map((change) => ({ depth: 1, change }));
  }

  afterTransactionCommit(event: TransactionCommitEvent) {
    const pending = this.pending.get(event.queryRunner);
    if (!pending || event.queryRunner.isTransactionActive) return;
    this.pending.delete(event.queryRunner);
    if (pending.writtenId) pending.scope.entryId = pending.writtenId;
    pending.scope.committed.push(...pending.changes.map((c) => c.change!));
  }

  beforeTransactionRollback(event: TransactionRollbackEvent) {
    const pending = this.pending.get(event.queryRunner);
    if (!pending) return;
    const depth = depthOf(event.queryRunner);
    // Also after a failed COMMIT: the entry written just before it is gone with the rest.
    if (depth <= 1) this.pending.delete(event.queryRunner);
    else pending.changes = pending.changes.filter((c) => c.depth < depth);
  }

  private note(event: { queryRunner: QueryRunner; metadata: EntityMetadata }, change: () => AuditChange) {
    const scope = currentAuditScope();
    if (!scope || event.metadata.target === AuditEntry || !event.queryRunner.isTransactionActive) return;
    let pending = this.pending.get(event.queryRunner);
    if (!pending || pending.scope !== scope) {
      pending = { scope, changes: [], writtenId: null };
      this.pending.set(event.queryRunner, pending);
    }
    // An omitted row (bookkeeping) is not listed, but its transaction still gets the entry.
    pending.changes.push({ depth: depthOf(event.queryRunner), change: isOmitted(event.metadata) ? null : change() });
  }

  private assertInTransaction(event: { queryRunner: QueryRunner; metadata: EntityMetadata }, verb: string) {
    // Bookkeeping rows (sessions, one-time codes, delivery logs) are not listed: their writes need no transaction.
    if (event.queryRunner.isTransactionActive || event.metadata.target === AuditEntry || isOmitted(event.metadata)) return;
    const scope = currentAuditScope();
    if (!scope) return;
    throw new Error(
      `${verb} on ${event.metadata.tableName} during ${scope.action} outside a transaction: its audit entry could not commit with it. ` +
        'Use save()/remove() (they open one) or run the write in manager.transaction()',
    );
  }
}
