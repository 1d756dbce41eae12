import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { HUB_CONFIG, REDIS, type HubConfig } from '#core';
import type { McpSession, SessionTransport } from './mcp-session.js';

/** What another hub needs to serve a session's next request itself: no secret, and no live object. */
export interface StoredSession {
  keyId: string;
  groupSlug: string;
  transport: SessionTransport;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo: Record<string, unknown>;
  initialized: boolean;
  /** The hub holding the session's legacy SSE stream (its answers travel there). */
  streamHub?: string;
}

/** By a hash of the id: whoever reads Redis learns no session id (though a session also needs its API key). */
const KEY = (id: string) => `mcphub:session:${createHash('sha256').update(id).digest('base64url')}`;

/**
 * Sessions' state in Redis, so a request that lands on any hub finds its session (no affinity needed) and a
 * session outlives the hub that opened it. Expires after MCP_SESSION_IDLE_SECONDS unused, like a hub's own copy.
 * Embedded mode (no Redis): nothing is stored, a session lives in its one hub.
 */
@Injectable()
export class SessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  get enabled(): boolean {
    return this.redis !== null;
  }

  /** How often a hub using a session pushes its expiry back: a fraction of the idle limit, so never per call. */
  get refreshMs(): number {
    return (this.config.gateway.sessionIdleSeconds * 1000) / 4;
  }

  async save(session: McpSession): Promise<void> {
    if (!this.redis) return;
    const stored: StoredSession = {
      keyId: session.principal.keyId,
      groupSlug: session.groupSlug,
      transport: session.transport,
      protocolVersion: session.protocolVersion,
      clientCapabilities: session.clientCapabilities,
      clientInfo: session.clientInfo,
      initialized: session.initialized,
      ...(session.streamHub ? { streamHub: session.streamHub } : {}),
    };
    await this.redis.set(KEY(session.id), JSON.stringify(stored), 'EX', this.config.gateway.sessionIdleSeconds);
  }

  /** The stored session, or undefined when it is unknown, ended or expired. Rejects when Redis cannot answer. */
  async load(id: string): Promise<StoredSession | undefined> {
    if (!this.redis) return undefined;
    const text = await this.redis.get(KEY(id));
    return text ? (JSON.parse(text) as StoredSession) : undefined;
  }

  async touch(id: string): Promise<void> {
    await this.redis?.expire(KEY(id), this.config.gateway.sessionIdleSeconds);
  }

  async forget(id: string): Promise<void> {
    await this.redis?.del(KEY(id));
  }
}
