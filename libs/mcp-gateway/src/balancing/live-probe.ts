import { Injectable } from '@nestjs/common';
import { untilAborted } from '#core';
import type { LiveUpstreamProbe } from '#servers';
import { isTokenRefused } from '../upstream/upstream-connection.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';

/**
 * Health checks through the hub's own upstream connections: a replica that crashed and is backing off is DOWN
 * (its last error), one that answers ping is up. Starting an idle stdio replica here is intended: a check
 * connects (or reuses) and pings.
 */
@Injectable()
export class PoolLiveProbe implements LiveUpstreamProbe {
  constructor(private readonly pool: UpstreamPool) {}

  async ping(replicaId: string, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: boolean; error?: string } | null> {
    const status = this.pool.status(replicaId);
    // A PER_USER replica nobody is connected to is checked the usual way (with its owner's credentials).
    if (!status || (this.pool.perUser(replicaId) && !status.connected)) return null;
    try {
      // Stops waiting on `signal`; the pool's own attempt goes on for the calls that share it.
      const connection = await untilAborted(this.pool.connection(replicaId), signal);
      await untilAborted(connection.request('ping', undefined, timeoutMs), signal);
      return { ok: true };
    } catch (error) {
      // That person's token was refused, not the server down: checked afresh (an OAuth challenge is up).
      if (isTokenRefused(error)) return null;
      return { ok: false, error: (error as Error).message };
    }
  }
}
