import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PINO } from '../logging/logging.module.js';
import { OutageLog } from '../redis/outage-log.js';
import { REDIS, patientRedisOptions } from '../redis/redis.module.js';

/**
 * What changed. In-memory views (gateway routes, key cache) rebuild the affected part when they hear it.
 * Operational events travel the same way: health transitions, a key crossing a quota threshold, a burst of
 * upstream failures (alerts turn them into notifications).
 */
export interface ConfigChange {
  kind: 'server' | 'group' | 'api-key' | 'user' | 'credential' | 'upstream-authorization' | 'routing-rule' | 'server-health' | 'key-quota' | 'upstream-failures' | 'call-capture' | 'tool-pins' | 'tool-drift' | 'encryption-key';
  /** The changed thing's id; `*` for all of that kind at once (a restore from backup). */
  id: string;
  /** Small, non-secret facts about the change (e.g. a health transition). */
  detail?: Record<string, unknown>;
}

const CHANNEL = 'mcphub:config-changes';

/**
 * Where a change was published: in this process, or in another one (heard through Redis). Work that must happen
 * once per event (sending a notification) is done by the publishing process only.
 */
export type ChangeOrigin = 'local' | 'remote';

/** Brings an in-memory view up to date with one change; see ConfigChangeBus.subscribeApplied(). */
export type ChangeApplier = (change: ConfigChange, origin: ChangeOrigin) => Promise<void> | void;

/**
 * Tells every in-memory view that configuration changed: in this process at once, and in other hub replicas
 * through Redis pub/sub when Redis is configured.
 */
@Injectable()
export class ConfigChangeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly appliers = new Set<ChangeApplier>();
  private readonly origin = randomUUID();
  private subscriber?: Redis;
  private readonly outage: OutageLog;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(PINO) logger?: Logger,
  ) {
    this.outage = new OutageLog(logger, 'Redis config-change channel (other hub replicas miss changes meanwhile)');
  }

  async onModuleInit() {
    if (!this.redis) return;
    // The subscriber waits through reconnects (ioredis resubscribes); only the shared client fails fast.
    this.subscriber = this.redis.duplicate(patientRedisOptions);
    await this.subscriber.subscribe(CHANNEL);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { origin, change } = JSON.parse(message) as { origin: string; change: ConfigChange };
      if (origin !== this.origin) this.deliverRemote(change);
    });
  }

  async onApplicationShutdown() {
    await this.subscriber?.quit().catch(() => undefined);
  }

  /**
   * Resolves once this process's appliers have applied the change (so the mutation that publishes it returns a
   * result this hub's gateway already serves) and it went out to the other replicas. Never fails on a Redis outage:
   * the change is saved and applied here; the log says other replicas missed it.
   */
  async publish(change: ConfigChange): Promise<void> {
    this.local.emit('change', change, 'local');
    const applied = Promise.allSettled([...this.appliers].map(async (apply) => apply(change, 'local')));
    if (this.redis) {
      try {
        await this.redis.publish(CHANNEL, JSON.stringify({ origin: this.origin, change }));
        this.outage.recovered();
      } catch (error) {
        this.outage.failed(error as Error, { change: change.kind });
      }
    }
    await applied;
  }

  /** Returns an unsubscribe function. Called synchronously by the publisher (the call path too): never wait in it. */
  subscribe(listener: (change: ConfigChange, origin: ChangeOrigin) => void): () => void {
    this.local.on('change', listener);
    return () => this.local.off('change', listener);
  }

  /**
   * For views the agent call path reads (the gateway's groups, servers, rules): publish() of a local change waits
   * until the returned promise settles, so a mutation's result is already what this hub serves. Changes from other
   * replicas are applied without anyone waiting. Keep it to reloading the view: it delays every mutation. An
   * applier handles its own errors (a rejection is ignored here). Returns an unsubscribe function.
   */
  subscribeApplied(applier: ChangeApplier): () => void {
    this.appliers.add(applier);
    return () => this.appliers.delete(applier);
  }

  private deliverRemote(change: ConfigChange): void {
    this.local.emit('change', change, 'remote');
    for (const apply of this.appliers) void (async () => apply(change, 'remote'))().catch(() => undefined);
  }
}
