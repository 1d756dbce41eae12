import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError, ErrorCode, HUB_CONFIG, PINO, stoppingController, type HubConfig } from '#core';
import { CredentialResolver, referencedVariables } from '#credentials';
import { EgressGuard, type ResolvedReplica, type ResolvedServer, type UpstreamTransportConfig } from '#servers';
import { UpstreamTokens } from '#upstream-oauth';
import { RpcCode, RpcError, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { KIND_OF_LIST_CHANGED, fetchCatalog, fetchList, type CatalogItem, type CatalogKind, type ServerCatalog } from './server-catalog.js';
import { isTokenRefused, type UpstreamConnection, type UpstreamEvents } from './upstream-connection.js';
import { connectInEra } from './upstream-era.js';
import { createGatewayTransport } from './upstream-transport.factory.js';
import { ForwardedConnections } from './forwarding/forwarded-connections.js';
import type { CallerHubs, EveryHubNotification } from './forwarding/forwarding-messages.js';
import { RemoteUpstreamConnection } from './forwarding/remote-upstream-connection.js';

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 30_000;

export interface PoolListener {
  /**
   * `userId`: the notification came from that person's connection to a PER_USER server (only they may see it).
   * `elsewhere`: another hub's connection to a ONE_HUB server sent it, and every hub heard it, with the hubs of the
   * calls in flight on it (see EveryHubNotification).
   */
  onNotification(serverId: string, message: JsonRpcNotification, userId?: string, elsewhere?: { callers: CallerHubs }): void;
  onRequest(serverId: string, connection: UpstreamConnection, message: JsonRpcRequest): void;
  /** The server's lists (or the server itself) changed: aggregated catalogs must be rebuilt. */
  onCatalogChanged(serverId: string): void;
}

export interface UpstreamStatus {
  connected: boolean;
  attempts: number;
  lastError: string | null;
  nextRetryAt: Date | null;
  inFlight: number;
  /** Live upstream connections: at most 1 for a SHARED server, one per person for a PER_USER one. */
  connections: number;
  pid: number | null;
  /** The revision the live connection negotiated (2026-07-28 for stateless servers); null while not connected. */
  protocolVersion: string | null;
  /** A ONE_HUB server another hub runs: this hub forwards to it (its health is that hub's to report). */
  forwarded: boolean;
}

/** One replica as metrics see it. */
export interface ReplicaSnapshot {
  replicaId: string;
  serverId: string;
  serverSlug: string;
  replicaName: string;
  connected: boolean;
  /** The stdio process, while one runs. */
  pid: number | null;
  /** Another hub runs it (ONE_HUB): this hub's connection goes through that hub. */
  forwarded: boolean;
}

/** One live (or starting, or backing-off) connection: the replica's transport filled with one person's credentials. */
interface Slot {
  /** Whose credentials filled the transport: the server's owner (SHARED) or the caller (PER_USER). */
  subject: string;
  connection?: UpstreamConnection;
  connecting?: Promise<UpstreamConnection>;
  attempts: number;
  lastError: string | null;
  nextRetryAt: number;
  restartTimer?: NodeJS.Timeout;
  /** A connect after the first one is a restart (after a crash, a failed start, or on demand). */
  started?: boolean;
  lastUsed: number;
  /** OAuth servers: recycles the connection before its access token expires, so the next one carries a fresh one. */
  refreshTimer?: NodeJS.Timeout;
  /** OAuth servers: when the token the connection carries was issued (which one the upstream refused, if it does). */
  tokenIssuedAt?: number;
  /** The last connection went through another hub (a ONE_HUB server that hub runs). */
  forwarded?: boolean;
}

/** One server replica (endpoint): one slot for everybody (SHARED), or one per person calling it (PER_USER). */
interface Entry {
  serverId: string;
  /** `<server slug>` for the primary, `<server slug>/<replica name>` for others: what errors name. */
  label: string;
  replica: ResolvedReplica;
  perUser: boolean;
  /** The server requires OAuth: each person's connection carries their own access token (so it is per person too). */
  oauth: boolean;
  /** The SHARED slot's subject. */
  ownerId: string;
  /** Where the connection lives with several hubs (a change moves it: the replica is started again). */
  placement: ResolvedServer['connectionPlacement'];
  slots: Map<string, Slot>;
}

interface CatalogEntry {
  catalog?: ServerCatalog;
  loading?: Promise<ServerCatalog>;
}

/** A person's upstream OAuth grant for a server was created, replaced or ended. */
export interface AuthorizationChange {
  serverId: string;
  userId: string;
}

/** How often a connection due for a token refresh looks again for a moment without calls in flight. */
const RECYCLE_RETRY_MS = 250;

/** What a credential change names (never its value). */
export interface CredentialChange {
  name: string;
  scope: string;
  userId: string | null;
}

/**
 * The hub's upstream connections, keyed by (replica, credential subject). A SHARED server has one connection per
 * replica, used concurrently by every agent session, restarted with exponential backoff after a crash. A PER_USER
 * server gets one per person calling it, filled with that person's credentials, closed after UPSTREAM_IDLE_SECONDS
 * without calls and capped per replica (UPSTREAM_MAX_PER_SERVER). Everything is stopped (whole process trees) on
 * shutdown. Capability lists are kept per server (replicas and people see the same tools).
 */
@Injectable()
export class UpstreamPool implements OnApplicationShutdown, UpstreamEvents {
  private readonly entries = new Map<string, Entry>();
  private readonly servers = new Map<string, ResolvedServer>();
  private readonly catalogs = new Map<string, CatalogEntry>();
  private readonly slotOf = new WeakMap<UpstreamConnection, Slot>();
  private readonly listeners = new Set<PoolListener>();
  private readonly restartHooks = new Set<(serverSlug: string, replicaName: string) => void>();
  private readonly lostHooks = new Set<(replicaId: string, reason: string, subject: string) => void>();
  private readonly toolsReadHooks = new Set<(serverId: string, tools: CatalogItem[]) => void>();
  private readonly idleSweep: NodeJS.Timeout;
  /**
   * Aborted at shutdown: nothing restarts, and connection attempts still under way end (a server that hangs at start
   * would hold the shutdown for the connect timeout).
   */
  private readonly stopping = stoppingController();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
    private readonly egress: EgressGuard,
    private readonly variables: CredentialResolver,
    private readonly tokens: UpstreamTokens,
    private readonly forwarded: ForwardedConnections,
  ) {
    const idleMs = config.gateway.upstreamIdleSeconds * 1000;
    this.idleSweep = setInterval(() => this.closeIdle(idleMs), Math.min(30_000, Math.max(250, idleMs / 4)));
    this.idleSweep.unref();
  }

  addListener(listener: PoolListener): void {
    this.listeners.add(listener);
  }

  /** Called each time a replica is started again (not on its first start). */
  onRestart(hook: (serverSlug: string, replicaName: string) => void): void {
    this.restartHooks.add(hook);
  }

  /** Called each time a replica's connection ends unexpectedly (a crashed process), before it is restarted. */
  onConnectionLost(hook: (replicaId: string, reason: string, subject: string) => void): void {
    this.lostHooks.add(hook);
  }

  /** Called with each tool list read from a server, before anyone is told the lists changed (tool pinning). */
  onToolsRead(hook: (serverId: string, tools: CatalogItem[]) => void): void {
    this.toolsReadHooks.add(hook);
  }

  /** Every configured replica's state, for gauges read at scrape time. */
  snapshot(): ReplicaSnapshot[] {
    return [...this.entries].map(([replicaId, entry]) => {
      const live = this.liveSlots(entry)[0];
      return {
        replicaId,
        serverId: entry.serverId,
        serverSlug: this.servers.get(entry.serverId)?.slug ?? entry.label,
        replicaName: entry.replica.name,
        connected: !!live,
        pid: live?.connection?.pid || null,
        forwarded: !!live?.forwarded,
      };
    });
  }

  /** Applies the current configuration; replicas whose transport or credential scope changed, or that went away, are stopped. */
  setServers(servers: ResolvedServer[], oauthServerIds: ReadonlySet<string> = new Set()): void {
    this.applyServers(servers, oauthServerIds, () => true);
  }

  /** Applies some servers' configuration (absent from `servers`: removed or unusable); the others are left as they are. */
  updateServers(serverIds: ReadonlySet<string>, servers: ResolvedServer[], oauthServerIds: ReadonlySet<string>): void {
    this.applyServers(servers, oauthServerIds, (id) => serverIds.has(id));
  }

  /** `servers` is the whole new configuration of the servers `inScope` accepts; nothing else is touched. */
  private applyServers(servers: ResolvedServer[], oauthServerIds: ReadonlySet<string>, inScope: (serverId: string) => boolean): void {
    const enabled = servers.filter((s) => s.enabled && inScope(s.id));
    const next = new Map<string, { server: ResolvedServer; replica: ResolvedReplica }>();
    for (const server of enabled) for (const replica of server.replicas) next.set(replica.id, { server, replica });
    for (const serverId of [...this.servers.keys()]) if (inScope(serverId)) this.servers.delete(serverId);
    for (const server of enabled) this.servers.set(server.id, server);
    for (const [id, entry] of this.entries) {
      if (!inScope(entry.serverId)) continue;
      const updated = next.get(id);
      if (
        updated &&
        JSON.stringify(updated.replica.transport) === JSON.stringify(entry.replica.transport) &&
        perPerson(updated.server, oauthServerIds) === entry.perUser &&
        oauthServerIds.has(updated.server.id) === entry.oauth &&
        updated.server.ownerId === entry.ownerId &&
        updated.server.connectionPlacement === entry.placement
      ) {
        entry.replica = updated.replica;
        entry.label = this.label(updated.server, updated.replica);
        continue;
      }
      void this.drop(id, entry);
    }
    for (const [id, { server, replica }] of next) {
      if (this.entries.has(id)) continue;
      this.entries.set(id, {
        serverId: server.id,
        label: this.label(server, replica),
        replica,
        perUser: perPerson(server, oauthServerIds),
        oauth: oauthServerIds.has(server.id),
        ownerId: server.ownerId,
        placement: server.connectionPlacement,
        slots: new Map(),
      });
    }
    for (const serverId of this.catalogs.keys()) if (inScope(serverId) && !this.servers.has(serverId)) this.catalogs.delete(serverId);
  }

  has(serverId: string): boolean {
    return this.servers.has(serverId);
  }

  server(serverId: string): ResolvedServer | undefined {
    return this.servers.get(serverId);
  }

  /**
   * The replica's live connection for a call by `callerId`, connecting on first use; fails fast with the last
   * error while backing off. Without a caller (health checks, list reads) a PER_USER replica offers any person's
   * live connection, or fails.
   */
  connection(replicaId: string, callerId?: string): Promise<UpstreamConnection> {
    const entry = this.entries.get(replicaId);
    if (!entry) return Promise.reject(new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled'));
    const subject = entry.perUser ? callerId : entry.ownerId;
    if (subject === undefined) {
      const live = this.liveSlots(entry)[0];
      if (live) return Promise.resolve(live.connection!);
      return Promise.reject(new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" connects per person and none is connected`, { server: entry.label }));
    }
    let slot = entry.slots.get(subject);
    if (!slot) {
      if (entry.perUser && !this.makeRoom(entry)) {
        return Promise.reject(
          new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" is serving ${entry.slots.size} people, the most allowed (UPSTREAM_MAX_PER_SERVER); try again shortly`, { server: entry.label }),
        );
      }
      slot = { subject, attempts: 0, lastError: null, nextRetryAt: 0, lastUsed: Date.now() };
      entry.slots.set(subject, slot);
    }
    slot.lastUsed = Date.now();
    if (slot.connection?.alive) return Promise.resolve(slot.connection);
    if (slot.connecting) return slot.connecting;
    const wait = slot.nextRetryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(
        new RpcError(
          RpcCode.UPSTREAM_UNAVAILABLE,
          `Server "${entry.label}" is unavailable (${slot.lastError}); next retry in ${Math.ceil(wait / 1000)} s`,
          { server: entry.label },
        ),
      );
    }
    return this.connect(replicaId, entry, slot);
  }

  /** The caller's connection if one is open now; never starts one (notifications that need no fresh process). */
  live(replicaId: string, callerId: string): UpstreamConnection | undefined {
    const entry = this.entries.get(replicaId);
    const connection = entry?.slots.get(entry.perUser ? callerId : entry.ownerId)?.connection;
    return connection?.alive ? connection : undefined;
  }

  /** True when a call could go to this replica now (connected, or allowed to try connecting). */
  reachable(replicaId: string): boolean {
    const entry = this.entries.get(replicaId);
    if (!entry) return false;
    // Per person: whether this caller's connection works is known only when it is tried.
    if (entry.perUser) return true;
    const slot = entry.slots.get(entry.ownerId);
    return !slot || !!slot.connection?.alive || !!slot.connecting || slot.nextRetryAt <= Date.now();
  }

  /** True for replicas of PER_USER servers. */
  perUser(replicaId: string): boolean {
    return this.entries.get(replicaId)?.perUser ?? false;
  }

  /** The server's tools/resources/templates/prompts, cached until it reports a change; read from any replica. */
  async catalog(serverId: string, callerId?: string): Promise<ServerCatalog> {
    const server = this.servers.get(serverId);
    if (!server) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled');
    let cached = this.catalogs.get(serverId);
    if (!cached) this.catalogs.set(serverId, (cached = {}));
    if (cached.catalog) return cached.catalog;
    if (cached.loading) return cached.loading;
    const entry = cached;
    const loading = this.listConnection(server, callerId)
      .then((connection) =>
        fetchCatalog(connection, this.config.gateway.requestTimeoutMs).catch(async (error: unknown) => {
          // That person's token was refused: once renewed (or without them), the lists are read again.
          if (!isTokenRefused(error) || !(await this.tokenRefused(connection, true).catch(() => true))) throw error;
          return fetchCatalog(await this.listConnection(server, callerId), this.config.gateway.requestTimeoutMs);
        }),
      )
      .then((catalog) => {
        if (this.catalogs.get(serverId) === entry) entry.catalog = catalog;
        this.toolsRead(serverId, catalog.tools);
        return catalog;
      })
      .finally(() => {
        if (entry.loading === loading) entry.loading = undefined;
      });
    entry.loading = loading;
    return loading;
  }

  /** The replica as a whole: a PER_USER replica sums its people's connections and reports the latest error. */
  status(replicaId: string): UpstreamStatus | null {
    const entry = this.entries.get(replicaId);
    if (!entry) return null;
    const slots = [...entry.slots.values()];
    const live = this.liveSlots(entry);
    const failing = slots.filter((s) => !s.connection?.alive && s.lastError).sort((a, b) => b.nextRetryAt - a.nextRetryAt)[0];
    const nextRetryAt = failing && failing.nextRetryAt > Date.now() && !live.length ? new Date(failing.nextRetryAt) : null;
    return {
      connected: live.length > 0,
      connections: live.length,
      attempts: live.length ? 0 : (failing?.attempts ?? 0),
      lastError: live.length ? null : (failing?.lastError ?? null),
      nextRetryAt,
      inFlight: live.reduce((sum, s) => sum + s.connection!.inFlight, 0),
      pid: live[0]?.connection?.pid ?? null,
      protocolVersion: live[0]?.connection?.protocolVersion || null,
      forwarded: slots.length > 0 && slots.every((s) => s.forwarded),
    };
  }

  /** Stops a replica's connections now; a SHARED one is started again at once, per-person ones on their next call. */
  async restart(replicaId: string): Promise<void> {
    const entry = this.entries.get(replicaId);
    if (!entry) return;
    // A ONE_HUB server another hub runs: that hub restarts it (this hub's forwarding connection stays).
    const forwarding = [...entry.slots.values()].map((s) => s.connection).find((c) => c instanceof RemoteUpstreamConnection);
    if (forwarding) {
      await this.forwarded.restartHolder(forwarding, this.config.gateway.connectTimeoutMs);
    } else if (entry.perUser) {
      await Promise.all([...entry.slots.values()].map((slot) => this.closeSlot(entry, slot)));
    } else {
      // The shared slot stays (so the restart is counted as one) with its backoff reset.
      for (const slot of entry.slots.values()) {
        clearTimeout(slot.restartTimer);
        const connection = slot.connection;
        Object.assign(slot, { connection: undefined, attempts: 0, nextRetryAt: 0, lastError: null });
        await connection?.close();
      }
      await this.connection(replicaId);
    }
    this.invalidateCatalog(entry.serverId);
  }

  /** A credential changed: connections filled with (or missing) that name are closed and refilled on their next call. */
  credentialChanged(change: CredentialChange): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (!referencedVariables(entry.replica.transport).has(change.name)) continue;
      for (const slot of entry.slots.values()) {
        if (change.scope === 'USER' && slot.subject !== change.userId) continue;
        closing.push(this.closeSlot(entry, slot));
      }
    }
    return Promise.all(closing).then(() => undefined);
  }

  /** Every credential and grant may have changed (a restore): every connection is closed and refilled on its next call. */
  recycleAll(): Promise<void> {
    const closing = [...this.entries.values()].flatMap((entry) => [...entry.slots.values()].map((slot) => this.closeSlot(entry, slot)));
    return Promise.all(closing).then(() => undefined);
  }

  /** A person authorized a server again or revoked it: their connections to it are closed, the next call uses the new grant. */
  authorizationChanged(change: AuthorizationChange): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.serverId !== change.serverId) continue;
      const slot = entry.slots.get(change.userId);
      if (slot) closing.push(this.closeSlot(entry, slot));
    }
    return Promise.all(closing).then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.idleSweep);
    await Promise.all([...this.entries.entries()].map(([id, entry]) => this.drop(id, entry)));
  }

  // UpstreamEvents, from connections
  onNotification(connection: UpstreamConnection, message: JsonRpcNotification): void {
    const { serverId, userId } = connection.identity;
    const kinds = KIND_OF_LIST_CHANGED[message.method];
    if (kinds) void this.refreshLists(serverId, connection, kinds);
    for (const l of this.listeners) l.onNotification(serverId, message, userId);
  }

  /** A ONE_HUB server's notification that the hub holding its connection shared with every hub. */
  heardElsewhere({ serverId, message, userId, callers = {} }: EveryHubNotification): void {
    if (!this.servers.has(serverId)) return;
    // The lists are read again (through the holder) when next needed.
    if (KIND_OF_LIST_CHANGED[message.method]) this.invalidateCatalog(serverId);
    for (const l of this.listeners) l.onNotification(serverId, message, userId, { callers });
  }

  onRequest(connection: UpstreamConnection, message: JsonRpcRequest): void {
    const { serverId } = connection.identity;
    for (const l of this.listeners) l.onRequest(serverId, connection, message);
  }

  onLost(connection: UpstreamConnection, reason: string): void {
    const { replicaId } = connection.identity;
    const entry = this.entries.get(replicaId);
    const slot = this.slotOf.get(connection);
    if (!entry || !slot || slot.connection !== connection) return;
    slot.connection = undefined;
    // The hub holding a ONE_HUB server's connection went or gave it up: claim it or reach the next holder at once.
    if (connection instanceof RemoteUpstreamConnection) Object.assign(slot, { nextRetryAt: 0, lastError: reason });
    else this.backOff(slot, reason);
    this.logger.warn({ server: entry.label, reason, retryInMs: Math.max(0, slot.nextRetryAt - Date.now()) }, 'upstream lost');
    // A person's connection comes back with their next call; the shared one is brought back for everybody.
    if (!entry.perUser) this.scheduleRestart(replicaId, entry, slot);
    for (const hook of this.lostHooks) hook(replicaId, reason, slot.subject);
  }

  private label(server: ResolvedServer, replica: ResolvedReplica): string {
    return replica.primary ? server.slug : `${server.slug}/${replica.name}`;
  }

  private liveSlots(entry: Entry): Slot[] {
    return [...entry.slots.values()].filter((s) => s.connection?.alive);
  }

  /**
   * Lists are the same for everybody: a person who has not authorized an OAuth server still sees its tools (through
   * anyone's live connection) and, calling one, gets the error that tells them to authorize it.
   */
  private listConnection(server: ResolvedServer, callerId?: string): Promise<UpstreamConnection> {
    return this.firstConnection(server, callerId).catch((error: unknown) => {
      if (callerId !== undefined && error instanceof RpcError && error.code === RpcCode.UPSTREAM_AUTHORIZATION_REQUIRED) return this.firstConnection(server);
      throw error;
    });
  }

  /**
   * Any replica that connects, lowest tier first: lists do not depend on which replica (or whose connection) serves
   * them, so for a PER_USER server anyone's open connection is used before starting the caller's.
   */
  private async firstConnection(server: ResolvedServer, callerId?: string): Promise<UpstreamConnection> {
    const replicas = [...server.replicas].sort((a, b) => a.priority - b.priority);
    for (const replica of replicas) {
      const entry = this.entries.get(replica.id);
      const live = entry?.perUser ? this.liveSlots(entry)[0] : undefined;
      if (live) return live.connection!;
    }
    let lastError: unknown;
    for (const replica of replicas) {
      try {
        return await this.connection(replica.id, callerId);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private invalidateCatalog(serverId: string): void {
    this.catalogs.delete(serverId);
    for (const l of this.listeners) l.onCatalogChanged(serverId);
  }

  private connect(replicaId: string, entry: Entry, slot: Slot): Promise<UpstreamConnection> {
    // Restricted servers' errors reach agents and owners as a generic text; the details are logged here.
    const report = (error: unknown) => this.logger.warn({ server: entry.label, err: (error as Error)?.message }, 'upstream transport error');
    const identity = { serverId: entry.serverId, replicaId, slug: entry.label, ...(entry.perUser ? { userId: slot.subject } : {}) };
    if (slot.started) {
      const serverSlug = this.servers.get(entry.serverId)?.slug ?? entry.label;
      for (const hook of this.restartHooks) hook(serverSlug, entry.replica.name);
    }
    slot.started = true;
    const current = () => this.entries.get(replicaId) === entry && entry.slots.get(slot.subject) === slot && !this.stopping.signal.aborted;
    let tokenRefreshAt: number | null = null;
    const timeoutMs = this.config.gateway.connectTimeoutMs;
    const open = (transport: UpstreamTransportConfig) => {
      const newTransport = () => createGatewayTransport(transport, { maxMessageBytes: this.config.gateway.maxMessageBytes, egress: this.egress, report });
      const local = () => connectInEra(identity, transport, newTransport, this, timeoutMs, this.stopping.signal);
      // ONE_HUB with several hubs: one hub runs it, the others reach it through that hub.
      if (!this.forwarded.placed(this.servers.get(entry.serverId))) return local();
      return this.forwarded.connect(identity, { replicaId, subject: slot.subject }, this, timeoutMs, local);
    };
    const connecting = this.variables
      .resolve(entry.replica.transport, { userId: slot.subject, serverOwnerId: entry.ownerId }, entry.label)
      .then(async ({ value }) => {
        if (!entry.oauth || value.type === 'stdio') return open(value);
        // The upstream may refuse a token before its stated expiry: one refresh, one more try.
        for (let attempt = 0; ; attempt++) {
          const bearer = await this.tokens.bearerFor(entry.serverId, slot.subject, this.servers.get(entry.serverId)?.slug ?? entry.label);
          tokenRefreshAt = bearer.refreshAt;
          slot.tokenIssuedAt = bearer.issuedAt;
          try {
            return await open(withBearer(value, bearer.token));
          } catch (error) {
            if (!isTokenRefused(error)) throw error;
            // Refused again after a refresh: the grant is marked and the person told to authorize again.
            await this.tokens.refused(entry.serverId, slot.subject, this.servers.get(entry.serverId)?.slug ?? entry.label, bearer.issuedAt, attempt === 0);
            if (attempt > 0) throw error;
          }
        }
      })
      .catch((error: unknown) => {
        // Not the upstream's fault: no backoff, no failover; the message names what to set (or authorize) and where.
        const code = error instanceof DomainError ? CALLER_MUST_ACT.get(error.code) : undefined;
        if (code === undefined) throw error;
        entry.slots.delete(slot.subject);
        throw new RpcError(code, (error as DomainError).message, (error as DomainError).details);
      })
      .then((connection) => {
        if (!current()) {
          void connection.close();
          throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" was reconfigured while connecting`);
        }
        const restarted = slot.attempts > 0;
        this.slotOf.set(connection, slot);
        slot.connection = connection;
        slot.forwarded = connection instanceof RemoteUpstreamConnection;
        slot.lastUsed = Date.now(); // a slow start is not idleness
        slot.attempts = 0;
        slot.lastError = null;
        slot.nextRetryAt = 0;
        if (tokenRefreshAt !== null) this.scheduleRecycle(entry, slot, connection, tokenRefreshAt);
        // Lists may differ after a restart: refetch and let sessions know.
        if (restarted && !entry.perUser) this.invalidateCatalog(entry.serverId);
        return connection;
      })
      .catch((error: Error) => {
        if (error instanceof RpcError && CALLER_MUST_ACT_RPC.has(error.code)) throw error;
        if (current()) this.backOff(slot, error.message);
        throw error instanceof RpcError
          ? error
          : new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" could not be started: ${error.message}`, { server: entry.label });
      })
      .finally(() => {
        slot.connecting = undefined;
      });
    slot.connecting = connecting;
    return connecting;
  }

  /**
   * The upstream answered 401 on `connection` (an OAuth server refusing the person's token before its stated
   * expiry). The connection is retired (calls still in flight on it finish) and the grant refreshed once
   * (`mayRefresh`): resolves true when the call may be tried again on a new connection, false when this is no
   * OAuth connection; rejects with -32005 when the person must authorize again.
   */
  async tokenRefused(connection: UpstreamConnection, mayRefresh: boolean): Promise<boolean> {
    const slot = this.slotOf.get(connection);
    const entry = this.entries.get(connection.identity.replicaId);
    if (!slot || !entry?.oauth || slot.tokenIssuedAt === undefined) return false;
    if (slot.connection === connection) this.retire(entry, slot, connection);
    try {
      await this.tokens.refused(entry.serverId, slot.subject, this.servers.get(entry.serverId)?.slug ?? entry.label, slot.tokenIssuedAt, mayRefresh);
      return true;
    } catch (error) {
      const code = error instanceof DomainError ? CALLER_MUST_ACT.get(error.code) : undefined;
      if (code !== undefined) throw new RpcError(code, (error as DomainError).message, (error as DomainError).details);
      throw error instanceof RpcError ? error : new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, (error as Error).message, { server: entry.label });
    }
  }

  /** The slot goes (the next call connects afresh); its connection closes once no call is in flight on it. */
  private retire(entry: Entry, slot: Slot, connection: UpstreamConnection): void {
    if (entry.slots.get(slot.subject) === slot) entry.slots.delete(slot.subject);
    clearTimeout(slot.restartTimer);
    clearTimeout(slot.refreshTimer);
    slot.connection = undefined;
    const closeWhenIdle = () => {
      if (connection.inFlight > 0) setTimeout(closeWhenIdle, RECYCLE_RETRY_MS).unref();
      else void connection.close();
    };
    closeWhenIdle();
  }

  /** Closes the connection when its token is due for a refresh, once no call is in flight on it. */
  private scheduleRecycle(entry: Entry, slot: Slot, connection: UpstreamConnection, at: number): void {
    clearTimeout(slot.refreshTimer);
    slot.refreshTimer = setTimeout(() => {
      if (slot.connection !== connection || entry.slots.get(slot.subject) !== slot) return;
      if (connection.inFlight > 0) return this.scheduleRecycle(entry, slot, connection, Date.now() + RECYCLE_RETRY_MS);
      void this.closeSlot(entry, slot);
    }, Math.max(0, at - Date.now()));
    slot.refreshTimer.unref();
  }

  private backOff(slot: Slot, reason: string): void {
    slot.attempts += 1;
    slot.lastError = reason;
    slot.nextRetryAt = Date.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** (slot.attempts - 1));
  }

  /** A crashed shared server is brought back on its own once the backoff allows, so agents find it running. */
  private scheduleRestart(replicaId: string, entry: Entry, slot: Slot): void {
    clearTimeout(slot.restartTimer);
    slot.restartTimer = setTimeout(() => {
      if (this.stopping.signal.aborted || this.entries.get(replicaId) !== entry || entry.slots.get(slot.subject) !== slot || slot.connection?.alive) return;
      this.connection(replicaId).catch((error: Error) => {
        this.logger.warn({ server: entry.label, err: error.message, attempt: slot.attempts }, 'upstream restart failed');
        this.scheduleRestart(replicaId, entry, slot);
      });
    }, Math.max(0, slot.nextRetryAt - Date.now()));
    slot.restartTimer.unref();
  }

  /** At the cap, the person's connection idle the longest gives way; none idle: no room. */
  private makeRoom(entry: Entry): boolean {
    if (entry.slots.size < this.config.gateway.maxUpstreamsPerServer) return true;
    const idle = [...entry.slots.values()].filter((s) => !s.connecting && !(s.connection?.inFlight ?? 0)).sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idle) return false;
    void this.closeSlot(entry, idle);
    return true;
  }

  /** Per-person connections without calls for `idleMs` are closed (their processes end). */
  private closeIdle(idleMs: number): void {
    const before = Date.now() - idleMs;
    for (const entry of this.entries.values()) {
      if (!entry.perUser) continue;
      for (const slot of entry.slots.values()) {
        // A call under way counts as use, so a connection is idle from (about) the end of its last call.
        if (slot.connecting || slot.connection?.inFlight) slot.lastUsed = Date.now();
        else if (slot.lastUsed < before) void this.closeSlot(entry, slot);
      }
    }
  }

  private async closeSlot(entry: Entry, slot: Slot): Promise<void> {
    if (entry.slots.get(slot.subject) === slot) entry.slots.delete(slot.subject);
    clearTimeout(slot.restartTimer);
    clearTimeout(slot.refreshTimer);
    const connection = slot.connection ?? (await slot.connecting?.catch(() => undefined));
    slot.connection = undefined;
    await connection?.close();
  }

  private async refreshLists(serverId: string, connection: UpstreamConnection, kinds: CatalogKind[]): Promise<void> {
    const entry = this.catalogs.get(serverId);
    if (!entry?.catalog) return;
    const catalog: ServerCatalog = { ...entry.catalog, cacheHints: { ...entry.catalog.cacheHints } };
    for (const kind of kinds) {
      const list = await fetchList(connection, kind, this.config.gateway.requestTimeoutMs).catch(() => undefined);
      if (!list) continue; // keep what was read before
      catalog[kind] = list.items;
      catalog.cacheHints![kind] = list.cacheHint;
    }
    if (this.catalogs.get(serverId) !== entry) return;
    entry.catalog = catalog;
    if (kinds.includes('tools')) this.toolsRead(serverId, catalog.tools);
    for (const l of this.listeners) l.onCatalogChanged(serverId);
  }

  private toolsRead(serverId: string, tools: CatalogItem[]): void {
    for (const hook of this.toolsReadHooks) {
      try {
        hook(serverId, tools);
      } catch (error) {
        this.logger.error({ serverId, err: (error as Error).message }, 'tool list hook failed');
      }
    }
  }

  private async drop(replicaId: string, entry: Entry): Promise<void> {
    this.entries.delete(replicaId);
    await Promise.all([...entry.slots.values()].map((slot) => this.closeSlot(entry, slot)));
    // Re-added meanwhile as ONE_HUB (reconfigured): its new connection may be this hub's, under the same claim.
    if (this.entries.get(replicaId)?.placement !== 'ONE_HUB') await this.forwarded.release(replicaId);
    this.invalidateCatalog(entry.serverId);
  }
}

/** What the caller must do before a connection can be made (set a credential, authorize): hub errors → JSON-RPC codes. */
const CALLER_MUST_ACT = new Map<ErrorCode, number>([
  [ErrorCode.CREDENTIAL_MISSING, RpcCode.CREDENTIAL_MISSING],
  [ErrorCode.UPSTREAM_AUTHORIZATION_REQUIRED, RpcCode.UPSTREAM_AUTHORIZATION_REQUIRED],
]);
const CALLER_MUST_ACT_RPC = new Set(CALLER_MUST_ACT.values());

/**
 * The person's access token as `Authorization: Bearer` (replacing any configured Authorization header: the token
 * is theirs, never the agent's own key, which the gateway never forwards).
 */
function withBearer(transport: Exclude<UpstreamTransportConfig, { type: 'stdio' }>, token: string): UpstreamTransportConfig {
  const headers = Object.fromEntries(Object.entries(transport.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  return { ...transport, headers: { ...headers, Authorization: `Bearer ${token}` } };
}

/** PER_USER servers and servers that require OAuth get one connection per person. */
function perPerson(server: ResolvedServer, oauthServerIds: ReadonlySet<string>): boolean {
  return server.credentialScope === 'PER_USER' || oauthServerIds.has(server.id);
}
