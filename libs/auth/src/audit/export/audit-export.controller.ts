import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { once } from 'node:events';
import { DomainHttpExceptionFilter, badInput } from '#core';
import { Authorize } from '../../access.decorators.js';
import { Permission } from '../../permission.js';
import type { AuditOutcome } from '../audit-entry.entity.js';
import { AuditLogService, type AuditLogFilter } from '../audit-log.service.js';
import { csvHeader, csvLine, ndjsonLine, type ExportFormat } from './audit-export.format.js';

type ExportParams = Partial<Record<'format' | 'from' | 'to' | 'actorId' | 'action' | 'targetType' | 'targetId' | 'outcome', string | string[]>>;

const CONTENT_TYPES: Record<ExportFormat, string> = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };

/** The audit log as a file, oldest first, streamed a batch at a time (bearer token as for GraphQL). */
@Controller('audit')
@UseFilters(DomainHttpExceptionFilter)
export class AuditExportController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Authorize(Permission.AUDIT_READ)
  @Get('export')
  async export(@Query() params: ExportParams, @Res() res: Response): Promise<void> {
    const format = single(params, 'format') ?? 'ndjson';
    if (format !== 'ndjson' && format !== 'csv') throw badInput('format', 'must be ndjson or csv');
    const filter: AuditLogFilter = {
      from: date(params, 'from'),
      to: date(params, 'to'),
      actorId: single(params, 'actorId'),
      action: single(params, 'action'),
      targetType: single(params, 'targetType'),
      targetId: single(params, 'targetId'),
      outcome: single(params, 'outcome') as AuditOutcome | undefined,
    };
    const query = this.auditLog.query(filter, '');
    let closed = false;
    res.on('close', () => (closed = true));
    res.status(200).set({
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="audit-log.${format}"`,
      'cache-control': 'no-store',
    });
    if (format === 'csv') res.write(csvHeader());
    for await (const rows of this.auditLog.all(query)) {
      if (closed) return;
      const chunk = rows.map(format === 'csv' ? csvLine : ndjsonLine).join('');
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    res.end();
  }
}

function single(params: ExportParams, name: keyof ExportParams): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw badInput(name, 'must be given once');
  return value === '' ? undefined : value;
}

function date(params: ExportParams, name: 'from' | 'to'): Date | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw badInput(name, 'must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z');
  return parsed;
}
