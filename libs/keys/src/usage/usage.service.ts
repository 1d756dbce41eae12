import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { Permission, authorize, type Actor } from '#auth';
import { validate } from '#core';
import { ApiKey } from '../api-key.entity.js';
import { UsageBucket } from './usage-bucket.entity.js';
import { UsageMover } from './usage.mover.js';
import { UsageRecorder } from './usage.recorder.js';

export interface UsageLine {
  serverId: string;
  serverSlug: string;
  tool: string | null;
  calls: number;
  errors: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

/** One hour of the range that saw calls. */
export interface UsageHour {
  hour: Date;
  calls: number;
  errors: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

export interface UsageReport {
  keyId: string;
  from: Date;
  to: Date;
  calls: number;
  errors: number;
  avgLatencyMs: number;
  byServer: UsageLine[];
  byTool: UsageLine[];
  byHour: UsageHour[];
}

const rangeSchema = z
  .strictObject({ keyId: z.uuid('must be a UUID'), from: z.date('must be a date-time'), to: z.date('must be a date-time') })
  .refine((r) => r.from < r.to, { message: 'must be after from', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, { message: 'range must be at most 366 days', path: ['to'] });

@Injectable()
export class UsageService {
  constructor(
    @InjectRepository(UsageBucket) private readonly buckets: Repository<UsageBucket>,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly recorder: UsageRecorder,
    private readonly mover: UsageMover,
  ) {}

  /** Hourly resolution: buckets whose hour starts in [from, to). Members may read only their own keys. */
  async report(viewer: Actor, input: { keyId: string; from: Date; to: Date }): Promise<UsageReport> {
    const { keyId, from, to } = validate(rangeSchema, input);
    const key = await this.keys.findOneBy({ id: keyId });
    authorize(viewer, Permission.KEY_READ, key && { ownerId: key.userId }, { kind: 'API key', id: keyId });
    // Fresh figures: write what this hub holds and move what Redis holds (exactly once, like the worker's job).
    // On failure the report shows what is in usage_hourly; nothing is lost, it is moved later.
    await this.recorder.flush().catch(() => undefined);
    await this.mover.move().catch(() => undefined);
    const rows = await this.buckets
      .createQueryBuilder('u')
      .where('u.key_id = :keyId AND u.hour >= :from AND u.hour < :to', { keyId, from, to })
      .getMany();
    const group = (by: (r: UsageBucket) => string, withTool: boolean): UsageLine[] => {
      const lines = new Map<string, UsageLine & { total: number }>();
      for (const r of rows) {
        const id = by(r);
        const line = lines.get(id) ?? { serverId: r.serverId, serverSlug: r.serverSlug, tool: withTool ? r.tool : null, calls: 0, errors: 0, avgLatencyMs: 0, maxLatencyMs: 0, total: 0 };
        line.calls += r.calls;
        line.errors += r.errors;
        line.total += r.totalLatencyMs;
        line.maxLatencyMs = Math.max(line.maxLatencyMs, r.maxLatencyMs);
        lines.set(id, line);
      }
      return [...lines.values()]
        .map(({ total, ...line }) => ({ ...line, avgLatencyMs: line.calls ? total / line.calls : 0 }))
        .sort((a, b) => b.calls - a.calls);
    };
    const hours = new Map<number, UsageHour & { total: number }>();
    for (const r of rows) {
      const at = r.hour.getTime();
      const hour = hours.get(at) ?? { hour: r.hour, calls: 0, errors: 0, avgLatencyMs: 0, maxLatencyMs: 0, total: 0 };
      hour.calls += r.calls;
      hour.errors += r.errors;
      hour.total += r.totalLatencyMs;
      hour.maxLatencyMs = Math.max(hour.maxLatencyMs, r.maxLatencyMs);
      hours.set(at, hour);
    }
    const calls = rows.reduce((n, r) => n + r.calls, 0);
    return {
      keyId,
      from,
      to,
      calls,
      errors: rows.reduce((n, r) => n + r.errors, 0),
      avgLatencyMs: calls ? rows.reduce((n, r) => n + r.totalLatencyMs, 0) / calls : 0,
      byServer: group((r) => r.serverId, false),
      byTool: group((r) => `${r.serverId}|${r.tool}`, true),
      byHour: [...hours.values()]
        .sort((a, b) => a.hour.getTime() - b.hour.getTime())
        .map(({ total, ...hour }) => ({ ...hour, avgLatencyMs: hour.calls ? total / hour.calls : 0 })),
    };
  }
}
