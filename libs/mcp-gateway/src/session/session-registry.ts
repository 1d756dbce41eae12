import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, HUB_CONFIG, type HubConfig } from '#core';
import type { KeyPrincipal } from '#keys';
import { McpSession, type SessionTransport } from './mcp-session.js';

const SWEEP_EVERY_MS = 60_000;

export const MAX_SESSIONS_VARIABLE = 'MCP_MAX_SESSIONS_PER_KEY';

/**
 * Live downstream sessions of this hub process. Session ids are 256-bit random, visible ASCII.
 * At most `maxSessionsPerKey` per API key: at the cap a new session replaces the key's least recently used idle
 * session (no call in flight, no open stream); when none is idle, the new one is refused.
 */
@Injectable()
export class SessionRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sessions = new Map<string, McpSession>();
  /** Sessions per key id, so the cap costs nothing below it. */
  private readonly byKey = new Map<string, Set<McpSession>>();
  private readonly closeHooks = new Set<(session: McpSession) => void>();
  /** Stateless (2026-07-28) requests' contexts while they have work upstream, with a count of who holds them. */
  private readonly passing = new Map<McpSession, number>();
  private sweeper?: NodeJS.Timeout;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  onApplicationBootstrap() {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown() {
    clearInterval(this.sweeper);
    for (const session of [...this.sessions.values()]) this.remove(session.id);
  }

  onClose(hook: (session: McpSession) => void): void {
    this.closeHooks.add(hook);
  }

  /** Throws a RATE_LIMITED DomainError when the key is at its session cap and none of its sessions is idle. */
  create(principal: KeyPrincipal, groupSlug: string, transport: SessionTransport, protocolVersion: string): McpSession {
    let own = this.byKey.get(principal.keyId);
    if (!own) this.byKey.set(principal.keyId, (own = new Set()));
    const limit = this.config.gateway.maxSessionsPerKey;
    if (own.size >= limit) {
      const idle = [...own].filter(isIdle).sort((a, b) => a.lastSeen - b.lastSeen)[0];
      if (!idle) {
        throw new DomainError(
          ErrorCode.RATE_LIMITED,
          `Too many open sessions for this API key: the limit is ${limit} per key (${MAX_SESSIONS_VARIABLE}) and none is idle; end one (DELETE, or close its stream) and retry`,
          { limit, variable: MAX_SESSIONS_VARIABLE },
        );
      }
      this.remove(idle.id);
    }
    const session = new McpSession(randomBytes(32).toString('base64url'), principal, groupSlug, transport, protocolVersion);
    this.sessions.set(session.id, session);
    own.add(session);
    return session;
  }

  /** Open sessions of one API key on this hub. */
  countOf(keyId: string): number {
    return this.byKey.get(keyId)?.size ?? 0;
  }

  get(id: string): McpSession | undefined {
    return this.sessions.get(id);
  }

  remove(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const own = this.byKey.get(session.principal.keyId);
    own?.delete(session);
    if (own?.size === 0) this.byKey.delete(session.principal.keyId);
    for (const hook of this.closeHooks) hook(session);
  }

  ofGroup(groupSlug: string): McpSession[] {
    return [...this.sessions.values()].filter((s) => s.groupSlug === groupSlug);
  }

  all(): IterableIterator<McpSession> {
    return this.sessions.values();
  }

  /** A stateless request's context joins the ones upstream messages can find (until as many `untrack`s). */
  track(session: McpSession): void {
    this.passing.set(session, (this.passing.get(session) ?? 0) + 1);
  }

  untrack(session: McpSession): void {
    const count = (this.passing.get(session) ?? 1) - 1;
    if (count > 0) this.passing.set(session, count);
    else this.passing.delete(session);
  }

  /** Sessions and stateless requests that may have calls in flight: where an upstream's request is traced back to. */
  *withCalls(): Generator<McpSession> {
    yield* this.sessions.values();
    yield* this.passing.keys();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Streamable HTTP sessions idle past the limit are forgotten (the client re-initializes on 404). */
  private sweep(now = Date.now()): void {
    const idleMs = this.config.gateway.sessionIdleSeconds * 1000;
    for (const session of this.sessions.values()) {
      if (isIdle(session) && now - session.lastSeen > idleMs) this.remove(session.id);
    }
  }
}

const isIdle = (session: McpSession) => !session.standalone?.open && session.inflight.size === 0;
