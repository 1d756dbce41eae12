import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, HUB_CONFIG, type HubConfig } from '#core';
import type { KeyPrincipal } from '#keys';
import type { JsonRpcId } from '../protocol/json-rpc.js';
import { McpSession, type SessionTransport } from './mcp-session.js';
import { SseStreamChannel, type MessageChannel } from './message-channel.js';
import { RemoteStreamChannel } from './remote-stream-channel.js';
import { SessionBus } from './session-bus.js';
import { SessionStore, type StoredSession } from './session-store.js';

const SWEEP_EVERY_MS = 60_000;
/** A copy that found no stream in the store looks again at most this often. */
const STREAM_LOOKUP_EVERY_MS = 5_000;

export const MAX_SESSIONS_VARIABLE = 'MCP_MAX_SESSIONS_PER_KEY';

type CancelHandler = (session: McpSession, requestId: JsonRpcId, reason?: string) => void;

/**
 * Live downstream sessions of this hub process. Session ids are 256-bit random, visible ASCII.
 * At most `maxSessionsPerKey` per API key: at the cap a new session replaces the key's least recently used idle
 * session (no call in flight, no open stream); when none is idle, the new one is refused.
 * With Redis, sessions are also stored there (SessionStore): a request for a session this hub does not hold adopts
 * it (one Redis read per session and hub), so hubs behind a balancer without affinity serve every session, and a
 * session outlives the hub that opened it. Ending a session (DELETE, a closed legacy stream) tells every hub.
 */
@Injectable()
export class SessionRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sessions = new Map<string, McpSession>();
  /** Sessions per key id, so the cap costs nothing below it. */
  private readonly byKey = new Map<string, Set<McpSession>>();
  private readonly closeHooks = new Set<(session: McpSession) => void>();
  /** Stateless (2026-07-28) requests' contexts while they have work upstream, with a count of who holds them. */
  private readonly passing = new Map<McpSession, number>();
  /** When this hub last pushed a session's expiry in the store back. */
  private readonly refreshedAt = new WeakMap<McpSession, number>();
  /** When this hub last looked for a session's stream in the store (see findStream). */
  private readonly lookedUpAt = new WeakMap<McpSession, number>();
  private sweeper?: NodeJS.Timeout;
  private cancelHandler?: CancelHandler;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly store: SessionStore,
    private readonly bus: SessionBus,
  ) {}

  onApplicationBootstrap() {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
    this.bus.on('ended', (message) => this.remove(message.sessionId));
    this.bus.on('initialized', (message) => {
      const session = this.sessions.get(message.sessionId);
      if (session) session.initialized = true;
    });
    this.bus.on('stream-opened', (message) => {
      const session = this.sessions.get(message.sessionId);
      if (session) this.streamElsewhere(session, message.hub);
    });
    this.bus.on('cancelled', (message) => {
      const session = this.sessions.get(message.sessionId);
      if (session) this.cancelHandler?.(session, message.requestId, message.reason);
    });
    this.bus.on('stream', (message) => {
      const stream = this.sessions.get(message.sessionId)?.standalone;
      if (stream && !(stream instanceof RemoteStreamChannel)) stream.send(message.message);
    });
  }

  /**
   * Ends the agents' event streams held here, first thing at shutdown (the hub's root module calls it): stopping the
   * HTTP server waits for every open connection, and a stream stays open as long as its agent likes. Streamable HTTP
   * agents open their stream again, on another hub (their session lives on); a legacy SSE session ends with its
   * stream. Calls in flight finish.
   */
  closeStreams(): void {
    for (const session of [...this.sessions.values()]) if (session.standalone instanceof SseStreamChannel) session.standalone.close();
  }

  /** Forgets this hub's copies only: the stored sessions continue on the other hubs. */
  onApplicationShutdown() {
    clearInterval(this.sweeper);
    for (const session of [...this.sessions.values()]) this.remove(session.id);
  }

  onClose(hook: (session: McpSession) => void): void {
    this.closeHooks.add(hook);
  }

  /** Who cancels a call of a session this hub holds when the agent's cancellation landed on another hub. */
  onCancelledElsewhere(handler: CancelHandler): void {
    this.cancelHandler = handler;
  }

  /** The agent cancelled a request this hub does not hold: every other hub hears it, the one holding it cancels. */
  cancelElsewhere(session: McpSession, requestId: JsonRpcId, reason?: string): Promise<void> {
    return this.bus.announce({ kind: 'cancelled', sessionId: session.id, requestId, ...(reason === undefined ? {} : { reason }) });
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
      this.end(idle.id);
    }
    const session = new McpSession(randomBytes(32).toString('base64url'), principal, groupSlug, transport, protocolVersion);
    this.sessions.set(session.id, session);
    own.add(session);
    return session;
  }

  /** Stores the session for the other hubs (after initialize, and when what they need of it changes). */
  async share(session: McpSession): Promise<void> {
    if (!this.store.enabled) return;
    await this.store.save(session);
    this.refreshedAt.set(session, Date.now());
  }

  /** A Streamable HTTP GET stream opened here: the stored session and the other hubs' copies send there. */
  async streamOpened(session: McpSession): Promise<void> {
    if (!this.store.enabled) return;
    session.streamHub = this.bus.hubId;
    await this.share(session);
    await this.bus.announce({ kind: 'stream-opened', sessionId: session.id, hub: this.bus.hubId });
  }

  /**
   * The session's open stream, for a copy that knows of none but has something for the agent: the stored session
   * says which hub holds it. The news of a stream opened elsewhere travels by pub/sub, which loses messages while a
   * hub's subscriber reconnects; this is how such a copy heals. One store read per copy every 5 s at most.
   */
  async findStream(session: McpSession, now = Date.now()): Promise<MessageChannel | undefined> {
    if (session.standalone?.open) return session.standalone;
    const last = this.lookedUpAt.get(session);
    if (!this.store.enabled || (last !== undefined && now - last < STREAM_LOOKUP_EVERY_MS)) return undefined;
    this.lookedUpAt.set(session, now);
    const stored = await this.store.load(session.id).catch(() => undefined);
    if (stored?.streamHub && stored.streamHub !== this.bus.hubId && !session.standalone?.open) this.streamElsewhere(session, stored.streamHub);
    return session.standalone?.open ? session.standalone : undefined;
  }

  /** notifications/initialized reached this hub: the stored session and every hub's copy learn it. */
  async markInitialized(session: McpSession): Promise<void> {
    if (session.initialized) return;
    session.initialized = true;
    if (!this.store.enabled) return;
    await this.share(session);
    await this.bus.announce({ kind: 'initialized', sessionId: session.id });
  }

  /**
   * A session another hub opened (or one whose hub died): rebuilt from the store for the same key and group.
   * Undefined when unknown or ended; 'foreign' when it belongs to another key or group. Rejects when Redis fails.
   */
  async adopt(id: string, principal: KeyPrincipal, groupSlug: string): Promise<McpSession | 'foreign' | undefined> {
    const stored = await this.store.load(id);
    if (!stored) return undefined;
    if (stored.keyId !== principal.keyId || stored.groupSlug !== groupSlug) return 'foreign';
    const raced = this.sessions.get(id);
    if (raced) return raced;
    const session = this.rebuild(id, principal, stored);
    this.sessions.set(id, session);
    let own = this.byKey.get(principal.keyId);
    if (!own) this.byKey.set(principal.keyId, (own = new Set()));
    own.add(session);
    this.refreshedAt.set(session, Date.now());
    return session;
  }

  /** Called on each use: pushes the stored session's expiry back, at most every quarter of the idle limit. */
  keepAlive(session: McpSession, now = Date.now()): void {
    if (!this.store.enabled || now - (this.refreshedAt.get(session) ?? 0) < this.store.refreshMs) return;
    this.refreshedAt.set(session, now);
    void this.store.touch(session.id).catch(() => undefined);
  }

  /** The session is over everywhere: this hub's copy, the stored one, and the other hubs' copies. */
  end(id: string): void {
    this.remove(id);
    if (!this.store.enabled) return;
    void this.store.forget(id).catch(() => undefined);
    void this.bus.announce({ kind: 'ended', sessionId: id });
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

  private rebuild(id: string, principal: KeyPrincipal, stored: StoredSession): McpSession {
    const session = new McpSession(id, principal, stored.groupSlug, stored.transport, stored.protocolVersion);
    session.clientCapabilities = stored.clientCapabilities;
    session.clientInfo = stored.clientInfo;
    session.initialized = stored.initialized;
    if (stored.streamHub) this.streamElsewhere(session, stored.streamHub);
    return session;
  }

  /**
   * The session's stream is on `hub`: this copy sends there. When that hub is gone, a legacy session ends (its
   * stream was the session); a Streamable HTTP one only loses its stream until the agent opens another.
   */
  private streamElsewhere(session: McpSession, hub: string): void {
    session.streamHub = hub;
    if (hub === this.bus.hubId) return;
    const channel: RemoteStreamChannel = new RemoteStreamChannel(this.bus, hub, session.id, () => {
      if (session.transport === 'sse') this.end(session.id);
      else if (session.standalone === channel) session.standalone = undefined;
    });
    session.standalone = channel;
  }

  /** Streamable HTTP sessions idle past the limit are forgotten (the client re-initializes on 404). */
  private sweep(now = Date.now()): void {
    const idleMs = this.config.gateway.sessionIdleSeconds * 1000;
    for (const session of this.sessions.values()) {
      // A copy of a session whose stream another hub holds is this hub's to forget when unused here.
      const idleHere = isIdle(session) || (session.standalone instanceof RemoteStreamChannel && session.inflight.size === 0);
      if (idleHere && now - session.lastSeen > idleMs) this.remove(session.id);
      // An open stream keeps its session alive here: the stored copy must not expire under it for the other hubs.
      else if (session.standalone?.open && !(session.standalone instanceof RemoteStreamChannel)) this.keepAlive(session, now);
    }
  }
}

const isIdle = (session: McpSession) => !session.standalone?.open && session.inflight.size === 0;
