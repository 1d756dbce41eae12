import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { validate } from '#core';
import { AuditOutcome, type AuditEntry } from './audit-entry.entity.js';
import { decodeCursor, encodeCursor } from './audit-cursor.js';
import { AuditLogRepository, type AuditLogQuery, type AuditPosition } from './audit-log.repository.js';

const text = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const filterSchema = z
  .strictObject({
    from: z.date('must be a date-time').nullish(),
    to: z.date('must be a date-time').nullish(),
    actorId: z.uuid('must be a user id (UUID)').nullish(),
    action: text.nullish(),
    targetType: text.nullish(),
    targetId: text.nullish(),
    outcome: z.enum(AuditOutcome).nullish(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: 'must be before filter.to', path: ['from'] });

const firstSchema = z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');

export type AuditLogFilter = z.input<typeof filterSchema>;

export interface AuditLogPage {
  nodes: AuditEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Rows per query while exporting: bounded memory, and no long transaction (PGlite serves one at a time). */
export const EXPORT_BATCH = 500;

/** Reading the audit log: newest first in pages, or everything that matches for an export, oldest first. */
@Injectable()
export class AuditLogService {
  constructor(private readonly entries: AuditLogRepository) {}

  async page(filter: AuditLogFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<AuditLogPage> {
    const query = this.query(filter);
    const limit = validate(firstSchema, first ?? 50, 'first');
    const position = after ? decodeCursor(after) : null;
    const rows = await this.entries.page(query, limit + 1, position, 'desc');
    const nodes = rows.slice(0, limit);
    const last = nodes.at(-1);
    return { nodes, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > limit };
  }

  /** Validates first, so a bad filter is refused before an export starts streaming. */
  query(filter: AuditLogFilter | null | undefined, field = 'filter'): AuditLogQuery {
    const f = validate(filterSchema, filter ?? {}, field);
    return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null && v !== undefined)) as AuditLogQuery;
  }

  /** Every matching entry, oldest first, a batch at a time. */
  async *all(query: AuditLogQuery): AsyncGenerator<AuditEntry[]> {
    let after: AuditPosition | null = null;
    for (;;) {
      const rows = await this.entries.page(query, EXPORT_BATCH, after, 'asc');
      if (rows.length) yield rows;
      if (rows.length < EXPORT_BATCH) return;
      after = rows.at(-1)!;
    }
  }
}
