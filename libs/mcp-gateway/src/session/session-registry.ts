import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { HUB_CONFIG, type HubConfig } from '#core';
import type { KeyPrincipal } from '#keys';
import { McpSession, type SessionTransport } from './mcp-session.js';

const SWEEP_EVERY_MS = 60_000;

/** Live downstream sessions of this hub process. Session ids are 256-bit random, visible ASCII. */
@Injectable()
export class SessionRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sessions = new Map<string, McpSession>();
  private readonly closeHooks = new Set<(session: McpSession) => void>();
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

  create(principal: KeyPrincipal, groupSlug: string, transport: SessionTransport, protocolVersion: string): McpSession {
    const session = new McpSession(randomBytes(32).toString('base64url'), principal, groupSlug, transport, protocolVersion);
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): McpSession | undefined {
    return this.sessions.get(id);
  }

  remove(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    for (const hook of this.closeHooks) hook(session);
  }

  ofGroup(groupSlug: string): McpSession[] {
    return [...this.sessions.values()].filter((s) => s.groupSlug === groupSlug);
  }

  all(): IterableIterator<McpSession> {
    return this.sessions.values();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Streamable HTTP sessions idle past the limit are forgotten (the client re-initializes on 404). */
  private sweep(now = Date.now()): void {
    const idleMs = this.config.gateway.sessionIdleSeconds * 1000;
    for (const session of this.sessions.values()) {
      if (session.standalone?.open || session.inflight.size) continue;
      if (now - session.lastSeen > idleMs) this.remove(session.id);
    }
  }
}
