import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '#core';

/** One hub's latest check of the stdio process it runs for a replica (through the connection its agents use). */
export interface HubHealthReport {
  ok: boolean;
  error?: string;
  /** Of the ping; absent when the process was found dead (nothing was asked). */
  latencyMs?: number;
  /** Epoch ms. */
  at: number;
}

/** What the hubs running a replica say now, combined: the worst wins (agents on that hub see it so). */
export interface CombinedHubReport {
  ok: boolean;
  error?: string;
  latencyMs?: number;
  hubs: number;
}

const KEY_PREFIX = 'mcphub:health:hub:';

/**
 * Where hubs (production mode) publish the health of the stdio processes they own, and where the worker's health
 * checks read it instead of starting a copy of the program: one Redis hash per replica, one field per hub. A hub
 * that stops reporting (it closed the process, or died) goes stale by time; the hash expires once nobody writes.
 * Disabled without Redis (embedded mode checks the hub's own pool in-process).
 */
@Injectable()
export class HubHealthReports {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  get enabled(): boolean {
    return this.redis !== null;
  }

  async publish(replicaId: string, hubId: string, report: HubHealthReport, keepMs: number): Promise<void> {
    if (!this.redis) return;
    const key = KEY_PREFIX + replicaId;
    await this.redis.multi().hset(key, hubId, JSON.stringify(report)).pexpire(key, keepMs).exec();
  }

  /** The hub stopped running the replica's process (closed, reconfigured): its report goes at once. */
  async withdraw(replicaId: string, hubId: string): Promise<void> {
    await this.redis?.hdel(KEY_PREFIX + replicaId, hubId);
  }

  /** Reports newer than `maxAgeMs`, combined; null when no hub runs the replica (or none reported lately). */
  async fresh(replicaId: string, maxAgeMs: number, now = Date.now()): Promise<CombinedHubReport | null> {
    if (!this.redis) return null;
    const fields = await this.redis.hgetall(KEY_PREFIX + replicaId);
    const reports = Object.values(fields)
      .map((raw) => JSON.parse(raw) as HubHealthReport)
      .filter((r) => r.at >= now - maxAgeMs);
    if (!reports.length) return null;
    const down = reports.filter((r) => !r.ok);
    if (down.length) {
      const where = reports.length > 1 ? ` (down on ${down.length} of ${reports.length} hubs)` : '';
      return { ok: false, error: `${down[0].error ?? 'down'}${where}`, hubs: reports.length };
    }
    return { ok: true, latencyMs: Math.max(...reports.map((r) => r.latencyMs ?? 0)), hubs: reports.length };
  }
}
