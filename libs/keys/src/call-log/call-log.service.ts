import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Actor } from '#auth';
import { badInput, validate } from '#core';
import { UsageMover } from '../usage/usage.mover.js';
import { UsageRecorder } from '../usage/usage.recorder.js';
import { CallOutcome } from './call-log-entry.js';
import type { CallLogFilter, CallLogFilterInput } from './call-log.query.js';
import {
  CALL_SERIES_MAX_BUCKETS,
  CALL_SERIES_MAX_BUCKET_SECONDS,
  CALL_SERIES_MIN_BUCKET_SECONDS,
  bucketCount,
  fillSeries,
  type CallSeriesBucket,
} from './call-series.js';
import { CallLogRepository, type AnalyticsRow, type CallLogRow, type PageCursor, type UsageDimension } from './call-log.repository.js';

export const CALL_LOG_MAX_PAGE = 100;
/** Rows one export returns at most (newest first): narrow the range for more. */
export const CALL_LOG_EXPORT_MAX_ROWS = 100_000;
const EXPORT_CHUNK = 1_000;
const MAX_RANGE_MS = 366 * 86_400_000;

const uuid = z.uuid('must be a UUID');
const filterSchema = z
  .strictObject({
    from: z.date('must be a date-time').optional(),
    to: z.date('must be a date-time').optional(),
    keyId: uuid.optional(),
    userId: uuid.optional(),
    groupId: uuid.optional(),
    serverId: uuid.optional(),
    tool: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters').optional(),
    outcome: z.enum(CallOutcome, `must be one of ${Object.values(CallOutcome).join(', ')}`).optional(),
    failed: z.boolean('must be true or false').optional(),
    method: z.enum(['tools/call', 'resources/read', 'prompts/get'], 'must be tools/call, resources/read or prompts/get').optional(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: 'must be after from', path: ['to'] });

const rangeSchema = z
  .strictObject({ from: z.date('must be a date-time'), to: z.date('must be a date-time') })
  .refine((r) => r.from < r.to, { message: 'must be after from', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RANGE_MS, { message: 'range must be at most 366 days', path: ['to'] });

export interface CallLogPage {
  entries: CallLogRow[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Nulls and undefineds out (GraphQL sends null for an unset field). */
const defined = (filter: object | null | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v !== null && v !== undefined));

/** Reads of the call log: listing, export and usage analytics, all within the actor's visibility. */
@Injectable()
export class CallLogService {
  constructor(
    private readonly repository: CallLogRepository,
    private readonly recorder: UsageRecorder,
    private readonly mover: UsageMover,
  ) {}

  async page(actor: Actor, input: { filter?: CallLogFilterInput | null; first?: number | null; after?: string | null }): Promise<CallLogPage> {
    const filter = validate(filterSchema, defined(input.filter), 'filter');
    const first = input.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > CALL_LOG_MAX_PAGE) throw badInput('first', `must be between 1 and ${CALL_LOG_MAX_PAGE}`);
    const cursor = input.after ? decodeCursor(input.after) : undefined;
    await this.refresh();
    const rows = await this.repository.page(actor, filter, first + 1, cursor);
    const entries = rows.slice(0, first);
    const last = entries.at(-1);
    return { entries, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > first };
  }

  /** Every visible entry matching the filter, newest first, in chunks; at most CALL_LOG_EXPORT_MAX_ROWS. */
  async *export(actor: Actor, input: CallLogFilterInput): AsyncGenerator<CallLogRow[]> {
    const filter = validate(filterSchema, defined(input));
    await this.refresh();
    let cursor: PageCursor | undefined;
    for (let sent = 0; sent < CALL_LOG_EXPORT_MAX_ROWS; ) {
      const rows = await this.repository.page(actor, filter, Math.min(EXPORT_CHUNK, CALL_LOG_EXPORT_MAX_ROWS - sent), cursor);
      if (!rows.length) return;
      yield rows;
      sent += rows.length;
      const last = rows.at(-1)!;
      cursor = { at: last.at, id: last.id };
    }
  }

  async analytics(actor: Actor, input: { from: Date; to: Date; groupBy: UsageDimension; filter?: CallLogFilterInput | null }): Promise<AnalyticsRow[]> {
    const range = validate(rangeSchema, { from: input.from, to: input.to });
    const filter = validate(filterSchema, defined(input.filter), 'filter');
    await this.refresh();
    return this.repository.analytics(actor, { ...filter, ...range }, input.groupBy);
  }

  /** Calls and errors per time bucket of [from, to), oldest first, empty buckets included. */
  async series(actor: Actor, input: { from: Date; to: Date; bucketSeconds: number; filter?: CallLogFilterInput | null }): Promise<CallSeriesBucket[]> {
    const range = validate(rangeSchema, { from: input.from, to: input.to });
    if (!Number.isInteger(input.bucketSeconds) || input.bucketSeconds < CALL_SERIES_MIN_BUCKET_SECONDS || input.bucketSeconds > CALL_SERIES_MAX_BUCKET_SECONDS) {
      throw badInput('bucketSeconds', `must be a whole number between ${CALL_SERIES_MIN_BUCKET_SECONDS} and ${CALL_SERIES_MAX_BUCKET_SECONDS}`);
    }
    if (bucketCount(range.from, range.to, input.bucketSeconds) > CALL_SERIES_MAX_BUCKETS) {
      throw badInput('bucketSeconds', `gives more than ${CALL_SERIES_MAX_BUCKETS} buckets for this range: use larger buckets or a shorter range`);
    }
    const filter = validate(filterSchema, defined(input.filter), 'filter');
    await this.refresh();
    const counted = await this.repository.series(actor, { ...filter, ...range }, input.bucketSeconds);
    return fillSeries(range.from, range.to, input.bucketSeconds, counted);
  }

  /**
   * Fresh figures: write what this hub holds and move what Redis holds (exactly once, like the worker's job).
   * On failure the reader sees what is in PostgreSQL; nothing is lost, it is moved later.
   */
  private async refresh(): Promise<void> {
    await this.recorder.flush().catch(() => undefined);
    await this.mover.move().catch(() => undefined);
  }
}

export function encodeCursor(row: { at: Date; id: string }): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): PageCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !/^\d{1,19}$/.test(id ?? '')) throw badInput('after', 'is not a cursor this API returned');
  return { at: date, id: id! };
}
