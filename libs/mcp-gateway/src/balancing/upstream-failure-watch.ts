import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigChangeBus, HUB_CONFIG, type HubConfig } from '#core';
import type { UpstreamFailureBurst } from '#servers';

interface ServerFailures {
  /** Times of the last `count` failures, a ring. */
  times: number[];
  next: number;
  /** No second burst is announced before this time: one per window. */
  quietUntil: number;
}

/**
 * Counts transport failures per server in this hub process: `count` failures within `windowSeconds` announce one
 * burst, then the server is quiet for a window. A ring of the last `count` failure times makes each record O(1).
 */
@Injectable()
export class UpstreamFailureWatch {
  private readonly servers = new Map<string, ServerFailures>();
  private readonly count: number;
  private readonly windowMs: number;

  constructor(
    @Inject(HUB_CONFIG) config: Pick<HubConfig, 'alerts'>,
    @Optional() private readonly bus?: ConfigChangeBus,
  ) {
    this.count = config.alerts.upstreamFailures.count;
    this.windowMs = config.alerts.upstreamFailures.windowSeconds * 1000;
  }

  record(server: { id: string; ownerId: string; slug: string }, error: Error): void {
    const now = Date.now();
    let state = this.servers.get(server.id);
    if (!state) this.servers.set(server.id, (state = { times: new Array<number>(this.count).fill(-Infinity), next: 0, quietUntil: 0 }));
    state.times[state.next] = now;
    state.next = (state.next + 1) % this.count;
    // The ring now holds the last `count` failures; the next slot to overwrite is the oldest of them.
    const oldest = state.times[state.next];
    if (now - oldest > this.windowMs || now < state.quietUntil) return;
    state.quietUntil = now + this.windowMs;
    const burst: UpstreamFailureBurst = {
      serverId: server.id,
      ownerId: server.ownerId,
      serverSlug: server.slug,
      failures: this.count,
      windowSeconds: this.windowMs / 1000,
      lastError: error.message.slice(0, 500),
      at: new Date(now).toISOString(),
    };
    void this.bus?.publish({ kind: 'upstream-failures', id: server.id, detail: { ...burst } });
  }
}
