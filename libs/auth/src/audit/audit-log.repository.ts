import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, QueryDeepPartialEntity, SelectQueryBuilder } from 'typeorm';
import { AuditEntry, type AuditChange, type AuditOutcome } from './audit-entry.entity.js';

export type NewAuditEntry = Omit<AuditEntry, 'at'>;

export interface AuditLogQuery {
  from?: Date;
  to?: Date;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
}

/** A position in the log: entries strictly after it (in the listing's order) come next. */
export interface AuditPosition {
  at: Date;
  id: string;
}

/** Every query of the audit log. Writes take the caller's manager: the entry commits with the change it describes. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Without listeners: the audit subscriber must not see its own rows. */
  async insert(manager: EntityManager, entry: NewAuditEntry): Promise<void> {
    await manager.createQueryBuilder().insert().into(AuditEntry).values(entry as QueryDeepPartialEntity<AuditEntry>).callListeners(false).updateEntity(false).execute();
  }

  async appendChanges(manager: EntityManager, id: string, changes: AuditChange[]): Promise<void> {
    await manager.query(`UPDATE "audit_log" SET "changes" = "changes" || $1::jsonb WHERE "id" = $2`, [JSON.stringify(changes), id]);
  }

  async setOutcome(id: string, outcome: AuditOutcome, errorCode: string | null, errorMessage: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE "audit_log" SET "outcome" = $1, "error_code" = $2, "error_message" = $3 WHERE "id" = $4`, [
      outcome,
      errorCode,
      errorMessage,
      id,
    ]);
  }

  /** Up to `limit` entries after `after`, newest first (`desc`) or oldest first. */
  page(query: AuditLogQuery, limit: number, after: AuditPosition | null, order: 'desc' | 'asc'): Promise<AuditEntry[]> {
    const qb = this.filtered(query);
    if (after) qb.andWhere(`(e.at, e.id) ${order === 'desc' ? '<' : '>'} (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))`, { afterAt: after.at, afterId: after.id });
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    return qb.orderBy('e.at', direction).addOrderBy('e.id', direction).limit(limit).getMany();
  }

  /** Deletes up to `limit` of the oldest entries written before `cutoff`; returns how many went. */
  async deleteBefore(cutoff: Date, limit: number): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM "audit_log" WHERE "id" IN (SELECT "id" FROM "audit_log" WHERE "at" < $1 ORDER BY "at", "id" LIMIT $2)`,
      [cutoff, limit],
    )) as [unknown, number];
    return deleted;
  }

  private filtered(query: AuditLogQuery): SelectQueryBuilder<AuditEntry> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('e').where('true');
    if (query.from) qb.andWhere('e.at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.at < :to', { to: query.to });
    if (query.actorId) qb.andWhere('e.actorId = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.targetType) qb.andWhere('e.targetType = :targetType', { targetType: query.targetType });
    if (query.targetId) qb.andWhere('e.targetId = :targetId', { targetId: query.targetId });
    if (query.outcome) qb.andWhere('e.outcome = :outcome', { outcome: query.outcome });
    return qb;
  }
}
