import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { DomainHttpExceptionFilter, badInput } from '#core';
import type { CallOutcome } from '../call-log-entry.js';
import type { CallLogFilter } from '../call-log.query.js';
import { CALL_LOG_EXPORT_MAX_ROWS, CallLogService } from '../call-log.service.js';
import { csvHeader, csvLine, ndjsonLine } from './call-log-formats.js';

type ExportQuery = Record<string, string | string[] | undefined>;

const FILTER_FIELDS = ['keyId', 'userId', 'groupId', 'serverId', 'tool', 'outcome', 'method'] as const;

function single(query: ExportQuery, field: string): string | undefined {
  const value = query[field];
  if (Array.isArray(value)) throw badInput(field, 'must be given once');
  return value === undefined || value === '' ? undefined : value;
}

function booleanParam(query: ExportQuery, field: string): boolean | undefined {
  const value = single(query, field);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw badInput(field, 'must be true or false');
  return value === 'true';
}

function dateParam(query: ExportQuery, field: string): Date | undefined {
  const value = single(query, field);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(field, 'must be an ISO 8601 date-time');
  return date;
}

/** Resolves when the client can take more, or has gone away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** GET /call-log/export: the visible call log as NDJSON or CSV, streamed, newest first (the same filters as GraphQL). */
@Controller('call-log')
@UseFilters(DomainHttpExceptionFilter)
export class CallLogExportController {
  constructor(private readonly callLog: CallLogService) {}

  @Get('export')
  @Authorize(Permission.CALL_LOG_READ)
  async export(@CurrentActor() actor: Actor, @Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    const format = single(query, 'format') ?? 'ndjson';
    if (format !== 'ndjson' && format !== 'csv') throw badInput('format', 'must be ndjson or csv');
    const filter: CallLogFilter = { from: dateParam(query, 'from'), to: dateParam(query, 'to'), failed: booleanParam(query, 'failed') };
    for (const field of FILTER_FIELDS) {
      const value = single(query, field);
      if (value !== undefined) (filter as Record<string, unknown>)[field] = field === 'outcome' ? (value as CallOutcome) : value;
    }
    const chunks = this.callLog.export(actor, filter);
    // Validation and the first read happen before anything is sent, so bad input still gets a 400.
    const first = await chunks.next();
    res.status(200);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="call-log.${format}"`);
    res.setHeader('X-Export-Max-Rows', String(CALL_LOG_EXPORT_MAX_ROWS));
    res.setHeader('Cache-Control', 'no-store');
    const line = format === 'csv' ? csvLine : ndjsonLine;
    if (format === 'csv') res.write(csvHeader());
    for (let chunk = first; !chunk.done; chunk = await chunks.next()) {
      if (!res.write(chunk.value.map(line).join(''))) await drained(res);
      if (res.destroyed) {
        await chunks.return(undefined);
        return;
      }
    }
    res.end();
  }
}
