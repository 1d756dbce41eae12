import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigChangeBus, HUB_CONFIG, OutageLog, PINO, isMissedChangesReload, type HubConfig } from '#core';
import { actorOf, type Actor, type Role } from '#auth';
import { TeamsRepository, UsersService } from '#users';
import { hashMatches, parseApiKey } from './api-key-format.js';
import { ApiKeysRepository } from './api-keys.repository.js';

/** Who is calling, as the data plane needs it. Built from the key row and its owner; cached in memory. */
export interface KeyPrincipal {
  keyId: string;
  publicId: string;
  userId: string;
  role: Role;
  /** The key's owner as the access policy sees them, acting through this key. */
  actor: Actor;
  /** Empty = all groups the owner may use. */
  groupIds: string[];
  /** The key's labels, for routing rules. */
  tags: string[];
  perMinute: number | null;
  perDay: number | null;
}

interface CachedKey {
  principal: KeyPrincipal;
  secretHash: Buffer;
  expiresAt: number | null;
  revoked: boolean;
  ownerDisabled: boolean;
  /** Read again after this (ms epoch): a change this hub never heard of (a lost message) holds only until then. */
  freshUntil: number;
}

export type KeyCheck = { ok: true; principal: KeyPrincipal } | { ok: false; reason: string };

const NEGATIVE_TTL_MS = 60_000;
const REFRESH_RETRY_MS = 10_000;

/**
 * Verifies agent API keys without a database query per call: one lookup per key on first sight, then memory,
 * dropped when the config bus reports a change to the key or its owner, and read again in the background after
 * API_KEY_CACHE_SECONDS (one query per key and period; calls never wait for it). `lastUsedAt` is written in batches,
 * with the usage (every USAGE_FLUSH_INTERVAL_MS, and at shutdown).
 */
@Injectable()
export class ApiKeyVerifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cache = new Map<string, CachedKey | { missingUntil: number }>();
  private readonly loading = new Map<string, Promise<CachedKey | null>>();
  /** Keys being read again in the background (their cached entry is due), and since when. */
  private readonly refreshing = new Map<string, number>();
  private readonly touched = new Set<string>();
  /** Bumped by every change heard; a load that straddles one is not cached. */
  private generation = 0;
  private flushTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  /** Written every flush interval: a database outage is logged once, not every second. */
  private readonly lastUseOutage: OutageLog;

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly users: UsersService,
    private readonly teams: TeamsRepository,
    private readonly bus: ConfigChangeBus,
    @Inject(PINO) private readonly logger: Logger,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    this.lastUseOutage = new OutageLog(logger, "Recording API keys' last use (the database)");
  }

  onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change) => {
      // id '*' (a restore rewrote every key): forget everything, the keys known to be missing too. After messages this
      // hub missed, every key is read again instead, served as held meanwhile: calls must not fail on a database
      // that is down (a missed message is likeliest then), and the call after each read sees what changed.
      if ((change.kind === 'api-key' || change.kind === 'user') && change.id === '*') return isMissedChangesReload(change) ? this.dueAll() : this.forgetAll();
      if (change.kind === 'api-key') this.forget((c) => c.principal.keyId === change.id);
      // A `user` change is also published when the person's team memberships change: their keys' Actor is rebuilt.
      if (change.kind === 'user') this.forget((c) => c.principal.userId === change.id);
    });
    this.flushTimer = setInterval(() => void this.flushLastUsed(), this.config.usage.flushIntervalMs);
    this.flushTimer.unref();
  }

  async onApplicationShutdown() {
    this.unsubscribe?.();
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }

  async verify(rawKey: string): Promise<KeyCheck> {
    const parsed = parseApiKey(rawKey);
    if (!parsed) return { ok: false, reason: 'malformed API key' };
    const entry = await this.lookup(parsed.publicId);
    if (!entry || !hashMatches(rawKey, entry.secretHash)) return { ok: false, reason: 'unknown API key' };
    if (entry.revoked) return { ok: false, reason: 'API key revoked' };
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return { ok: false, reason: 'API key expired' };
    if (entry.ownerDisabled) return { ok: false, reason: "API key's owner is disabled" };
    this.touched.add(entry.principal.keyId);
    return { ok: true, principal: entry.principal };
  }

  private async lookup(publicId: string): Promise<CachedKey | null> {
    const cached = this.cache.get(publicId);
    const now = Date.now();
    if (cached && 'principal' in cached) {
      // Due to be read again: served as read until the new read lands, so no call waits on the database (nor
      // fails while it is down); the call after the read sees a revocation.
      if (cached.freshUntil <= now) this.refreshInBackground(publicId, now);
      return cached;
    }
    if (cached && cached.missingUntil > now) return null;
    let loading = this.loading.get(publicId);
    if (!loading) {
      loading = this.load(publicId).finally(() => this.loading.delete(publicId));
      this.loading.set(publicId, loading);
    }
    return loading;
  }

  /** One read at a time per key; a read that has not answered within REFRESH_RETRY_MS (a dead connection) is not waited for. */
  private refreshInBackground(publicId: string, now: number): void {
    const started = this.refreshing.get(publicId);
    if (started !== undefined && now - started < REFRESH_RETRY_MS) return;
    this.refreshing.set(publicId, now);
    void this.load(publicId)
      .catch((error: Error) => this.logger.warn({ err: error.message, publicId }, 'could not re-read an API key; serving what was read before'))
      .finally(() => {
        if (this.refreshing.get(publicId) === now) this.refreshing.delete(publicId);
      });
  }

  private async load(publicId: string): Promise<CachedKey | null> {
    const generation = this.generation;
    const key = await this.keys.findByPublicId(publicId);
    const owner = key ? await this.users.findById(key.userId) : null;
    if (!key || !owner) {
      this.cache.set(publicId, { missingUntil: Date.now() + NEGATIVE_TTL_MS });
      return null;
    }
    const entry: CachedKey = {
      principal: {
        keyId: key.id,
        publicId,
        userId: key.userId,
        role: owner.role,
        actor: actorOf(owner, 'API_KEY', await this.teams.rolesOf(owner.id)),
        groupIds: key.groupIds,
        tags: key.tags,
        perMinute: key.perMinute,
        perDay: key.perDay,
      },
      secretHash: key.secretHash,
      expiresAt: key.expiresAt?.getTime() ?? null,
      revoked: key.revokedAt !== null,
      ownerDisabled: owner.disabled,
      freshUntil: Date.now() + this.config.gateway.apiKeyCacheSeconds * 1000,
    };
    // A change heard while this was loading may have been read before it committed: serve it once, do not keep it.
    if (generation === this.generation) this.cache.set(publicId, entry);
    return entry;
  }

  private forgetAll() {
    this.generation++;
    this.loading.clear();
    this.cache.clear();
  }

  private dueAll() {
    this.generation++;
    this.loading.clear();
    for (const [publicId, entry] of this.cache) {
      if ('principal' in entry) entry.freshUntil = 0;
      else this.cache.delete(publicId); // a key known to be missing may have been created since
    }
  }

  private forget(match: (entry: CachedKey) => boolean) {
    this.generation++;
    this.loading.clear();
    for (const [publicId, entry] of this.cache) if ('principal' in entry && match(entry)) this.cache.delete(publicId);
  }

  private async flushLastUsed(): Promise<void> {
    if (!this.touched.size) return;
    const ids = [...this.touched];
    this.touched.clear();
    await this.keys.markUsed(ids, new Date()).then(
      () => this.lastUseOutage.recovered(),
      (error: Error) => this.lastUseOutage.failed(error, { keys: ids.length }),
    );
  }
}
