import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PINO, REDIS } from '#core';
import { SessionBus } from '../../session/session-bus.js';

/** How long a hub's claim on a connection lasts without renewal: a hub that died silently is replaced after this. */
export const OWNER_LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
const OWNER_KEY = (replicaId: string) => `mcphub:owner:${replicaId}`;

/**
 * Claims the key for ARGV[1] when it is free, already ARGV[1]'s, or held by ARGV[3] (a hub seen gone); returns the
 * holder afterwards. One round trip; the check and the claim cannot interleave with another hub's.
 */
const CLAIM_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] or holder == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder`;

/**
 * Extends ARGV[1]'s claims; returns, per key, 1 (kept) or 0 (another hub holds it now). A claim that vanished (Redis
 * restarted empty, or it expired and nobody took it) is set again: the process keeps running where it runs.
 */
const RENEW_SCRIPT = `
local kept = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if (not holder) or holder == ARGV[1] then redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) kept[i] = 1 else kept[i] = 0 end
end
return kept`;

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type OwnerCommands = Redis & {
  mcphubOwnerClaim(key: string, hub: string, ttl: number, gone: string): Promise<string>;
  mcphubOwnerRenew(count: number, ...args: (string | number)[]): Promise<number[]>;
  mcphubOwnerRelease(key: string, hub: string): Promise<number>;
};

/**
 * Which hub holds the connection to a ONE_HUB server's replica (its stdio process), when several hubs share Redis.
 * A claim is a Redis key with a lease the holder renews every few seconds. A hub whose channel has no subscriber
 * (it died or shut down) is replaced at once by the next hub that needs the connection; one that froze is replaced
 * when its lease runs out. Without Redis there is one hub and it holds everything.
 */
@Injectable()
export class ConnectionOwners implements OnApplicationShutdown {
  private readonly held = new Set<string>();
  /** Run here while Redis could not say who runs them: claimed (or handed over) once Redis answers again. */
  private readonly unclaimed = new Set<string>();
  private readonly lostHooks = new Set<(replicaId: string) => void>();
  private readonly renewal?: NodeJS.Timeout;
  private readonly commands?: OwnerCommands;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly bus: SessionBus,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    if (!redis) return;
    const commands = redis as OwnerCommands;
    if (!('mcphubOwnerClaim' in redis)) {
      redis.defineCommand('mcphubOwnerClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
      redis.defineCommand('mcphubOwnerRenew', { lua: RENEW_SCRIPT });
      redis.defineCommand('mcphubOwnerRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    }
    this.commands = commands;
    this.renewal = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.renewal.unref();
  }

  get shared(): boolean {
    return this.redis !== null;
  }

  /** Called when this hub finds a claim it held taken by another hub (its connection must move there). */
  onLost(hook: (replicaId: string) => void): void {
    this.lostHooks.add(hook);
  }

  /**
   * True when this hub holds (now) the replica's connection; else the hub that does. Redis down: true (agents keep
   * being served, from a copy on each hub that needs one meanwhile), and settled when Redis is back.
   */
  async claim(replicaId: string): Promise<true | string> {
    if (!this.commands) return true;
    try {
      return await this.claimNow(replicaId);
    } catch (error) {
      if (!this.unclaimed.has(replicaId)) this.logger.warn({ replicaId, err: (error as Error).message }, 'Redis unreachable: running the connection here until it can be claimed');
      this.unclaimed.add(replicaId);
      return true;
    }
  }

  private async claimNow(replicaId: string): Promise<true | string> {
    const me = this.bus.hubId;
    const commands = this.commands!;
    let holder = await commands.mcphubOwnerClaim(OWNER_KEY(replicaId), me, OWNER_LEASE_MS, '');
    if (holder !== me && !(await this.bus.listening(holder))) {
      this.logger.info({ replicaId, gone: holder }, 'connection owner gone: taking its connection over');
      holder = await commands.mcphubOwnerClaim(OWNER_KEY(replicaId), me, OWNER_LEASE_MS, holder);
    }
    if (holder !== me) return holder;
    this.held.add(replicaId);
    this.unclaimed.delete(replicaId);
    return true;
  }

  holds(replicaId: string): boolean {
    return !this.commands || this.held.has(replicaId) || this.unclaimed.has(replicaId);
  }

  /** This hub no longer runs the connection (the server went, or the hub stops): the next hub may claim it at once. */
  async release(replicaId: string): Promise<void> {
    this.unclaimed.delete(replicaId);
    if (!this.commands || !this.held.delete(replicaId)) return;
    await this.commands.mcphubOwnerRelease(OWNER_KEY(replicaId), this.bus.hubId).catch(() => undefined);
  }

  releaseAll(): Promise<void> {
    return Promise.all([...this.held].map((id) => this.release(id))).then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.renewal);
    await this.releaseAll();
  }

  private async renew(): Promise<void> {
    await this.settleUnclaimed();
    const ids = [...this.held];
    if (!ids.length || !this.commands) return;
    try {
      const kept = await this.commands.mcphubOwnerRenew(ids.length, ...ids.map(OWNER_KEY), this.bus.hubId, OWNER_LEASE_MS);
      ids.forEach((id, i) => {
        if (kept[i] || !this.held.delete(id)) return;
        this.logger.warn({ replicaId: id }, 'connection claim lost to another hub: its connection moves there');
        this.lose(id);
      });
    } catch (error) {
      // Redis is down: keep running what this hub runs; no other hub can claim it meanwhile either.
      this.logger.debug({ err: (error as Error).message }, 'connection claims not renewed');
    }
  }

  /** Connections run here during a Redis outage: kept when the claim succeeds now, else handed to their holder. */
  private async settleUnclaimed(): Promise<void> {
    for (const id of [...this.unclaimed]) {
      const holder = await this.claimNow(id).catch(() => null);
      if (holder === null) return; // still down
      if (holder === true) continue;
      this.unclaimed.delete(id);
      this.logger.warn({ replicaId: id, holder }, 'Redis is back and another hub runs this connection: it moves there');
      this.lose(id);
    }
  }

  private lose(replicaId: string): void {
    for (const hook of this.lostHooks) hook(replicaId);
  }
}
