import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PINO } from '../logging/logging.module.js';
import { OutageLog } from '../redis/outage-log.js';
import { pubSubChannel } from '../redis/pubsub-channel.js';
import { REDIS, patientRedisOptions } from '../redis/redis.module.js';
import { RevisionTracker } from './revision-tracker.js';

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
/** Counts published changes across hubs: a hub whose count of heard ones falls behind missed a message. */
const REVISION_KEY = 'mcphub:config-revision';
const REVISION_CHECK_MS = 1_000;
/**
 * What a hub that missed messages reloads, with the changes a restore from backup announces: servers, groups, rules
 * and the key cache. Not credentials: `credential *` closes every upstream connection, calls in flight included;
 * a missed credential change reaches a connection when it is next opened (after UPSTREAM_IDLE_SECONDS unused).
 */
const RELOAD_EVERYTHING: ConfigChange[] = (['server', 'group', 'api-key', 'user'] as const).map((kind) => ({ kind, id: '*', detail: { missed: true } }));

/**
 * A change of everything that a hub sent itself because it missed messages (not a restore): what changed is unknown,
 * and may be nothing at all. Views that can keep serving what they hold while they read again (the key cache, during
 * a database outage) do.
 */
export const isMissedChangesReload = (change: ConfigChange): boolean => change.id === '*' && change.detail?.missed === true;

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
  private readonly revisions = new RevisionTracker();
  /** The revision a check found not heard yet; if it still is at the next check, its message was lost. */
  private missing?: number;
  private checkTimer?: NodeJS.Timeout;
  private readonly channel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(PINO) private readonly logger?: Logger,
  ) {
    this.channel = pubSubChannel(redis, CHANNEL);
    this.outage = new OutageLog(logger, 'Redis config-change channel (other hub replicas miss changes meanwhile)');
  }

  async onModuleInit() {
    if (!this.redis) return;
    // The subscriber waits through reconnects (ioredis resubscribes); only the shared client fails fast.
    this.subscriber = this.redis.duplicate(patientRedisOptions);
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { origin, change, revision } = JSON.parse(message) as { origin: string; change: ConfigChange; revision?: number };
      if (revision) this.revisions.mark(revision);
      if (origin !== this.origin) this.deliverRemote(change);
    });
    // Pub/sub drops what is published while a subscriber is disconnected, and nothing tells it: the revision
    // counter does. Subscribed first, so every revision after this read arrives as a message or shows as missing.
    this.revisions.reset(Number((await this.redis.get(REVISION_KEY)) ?? 0));
    this.checkTimer = setInterval(() => void this.checkRevision(), REVISION_CHECK_MS);
    this.checkTimer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.checkTimer);
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
        const revision = await this.redis.incr(REVISION_KEY);
        this.revisions.mark(revision);
        await this.redis.publish(this.channel, JSON.stringify({ origin: this.origin, change, revision }));
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

  /**
   * A revision other hubs published that this one has not heard by the next check (a message has a whole interval
   * to arrive) was lost: every view reloads from the database, as after a restore. A counter below what was heard
   * means Redis lost it (a restart without persistence); changes may have been missed then too.
   */
  private async checkRevision(): Promise<void> {
    let current: number;
    try {
      current = Number((await this.redis!.get(REVISION_KEY)) ?? 0);
    } catch {
      return; // Redis is down: the outage log says so; the next check after it returns finds what was missed.
    }
    const heard = this.revisions.heard;
    if (current < heard) return this.reloadEverything(current, heard);
    if (current === heard) {
      this.missing = undefined;
      return;
    }
    if (this.missing !== undefined && heard < this.missing) return this.reloadEverything(current, heard);
    this.missing = heard + 1;
  }

  private reloadEverything(current: number, heard: number): void {
    this.logger?.warn({ revision: current, heard }, 'config changes were published that this hub did not hear: reloading every view from the database');
    this.revisions.reset(current);
    this.missing = undefined;
    for (const change of RELOAD_EVERYTHING) this.deliverRemote(change);
  }

  private deliverRemote(change: ConfigChange): void {
    this.local.emit('change', change, 'remote');
    for (const apply of this.appliers) void (async () => apply(change, 'remote'))().catch(() => undefined);
  }
}
