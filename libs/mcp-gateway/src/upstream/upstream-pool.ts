import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { HUB_CONFIG, PINO, type HubConfig } from '#core';
import { EgressGuard, type ResolvedReplica, type ResolvedServer } from '#servers';
import { RpcCode, RpcError, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { KIND_OF_LIST_CHANGED, fetchCatalog, fetchList, type CatalogItem, type CatalogKind, type ServerCatalog } from './server-catalog.js';
import type { UpstreamConnection, UpstreamEvents } from './upstream-connection.js';
import { connectInEra } from './upstream-era.js';
import { createGatewayTransport } from './upstream-transport.factory.js';

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 30_000;

export interface PoolListener {
  onNotification(serverId: string, message: JsonRpcNotification): void;
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
  pid: number | null;
  /** The revision the live connection negotiated (2026-07-28 for stateless servers); null while not connected. */
  protocolVersion: string | null;
}

/** One replica as metrics see it. */
export interface ReplicaSnapshot {
  replicaId: string;
  serverSlug: string;
  replicaName: string;
  connected: boolean;
  /** The stdio process, while one runs. */
  pid: number | null;
}

interface Entry {
  serverId: string;
  /** `<server slug>` for the primary, `<server slug>/<replica name>` for others: what errors name. */
  label: string;
  replica: ResolvedReplica;
  connection?: UpstreamConnection;
  connecting?: Promise<UpstreamConnection>;
  attempts: number;
  lastError: string | null;
  nextRetryAt: number;
  restartTimer?: NodeJS.Timeout;
  /** A connect after the first one is a restart (after a crash, a failed start, or on demand). */
  started?: boolean;
}

interface CatalogEntry {
  catalog?: ServerCatalog;
  loading?: Promise<ServerCatalog>;
}

/**
 * One shared upstream connection per server replica: started on first use, used concurrently by every agent
 * session, restarted with exponential backoff after a crash, and stopped (whole process tree) on shutdown.
 * Capability lists are kept per server (replicas of one server serve the same tools).
 */
@Injectable()
export class UpstreamPool implements OnApplicationShutdown, UpstreamEvents {
  private readonly entries = new Map<string, Entry>();
  private readonly servers = new Map<string, ResolvedServer>();
  private readonly catalogs = new Map<string, CatalogEntry>();
  private readonly listeners = new Set<PoolListener>();
  private readonly restartHooks = new Set<(serverSlug: string, replicaName: string) => void>();
  private readonly toolsReadHooks = new Set<(serverId: string, tools: CatalogItem[]) => void>();
  private stopped = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
    private readonly egress: EgressGuard,
  ) {}

  addListener(listener: PoolListener): void {
    this.listeners.add(listener);
  }

  /** Called each time a replica is started again (not on its first start). */
  onRestart(hook: (serverSlug: string, replicaName: string) => void): void {
    this.restartHooks.add(hook);
  }

  /** Called with each tool list read from a server, before anyone is told the lists changed (tool pinning). */
  onToolsRead(hook: (serverId: string, tools: CatalogItem[]) => void): void {
    this.toolsReadHooks.add(hook);
  }

  /** Every configured replica's state, for gauges read at scrape time. */
  snapshot(): ReplicaSnapshot[] {
    return [...this.entries].map(([replicaId, entry]) => ({
      replicaId,
      serverSlug: this.servers.get(entry.serverId)?.slug ?? entry.label,
      replicaName: entry.replica.name,
      connected: !!entry.connection?.alive,
      pid: (entry.connection?.alive && entry.connection.pid) || null,
    }));
  }

  /** Applies the current configuration; replicas whose transport changed or that went away are stopped. */
  setServers(servers: ResolvedServer[]): void {
    const enabled = servers.filter((s) => s.enabled);
    const next = new Map<string, { server: ResolvedServer; replica: ResolvedReplica }>();
    for (const server of enabled) for (const replica of server.replicas) next.set(replica.id, { server, replica });
    this.servers.clear();
    for (const server of enabled) this.servers.set(server.id, server);
    for (const [id, entry] of this.entries) {
      const updated = next.get(id);
      if (updated && JSON.stringify(updated.replica.transport) === JSON.stringify(entry.replica.transport)) {
        entry.replica = updated.replica;
        entry.label = this.label(updated.server, updated.replica);
        continue;
      }
      void this.drop(id, entry);
    }
    for (const [id, { server, replica }] of next) {
      if (!this.entries.has(id)) this.entries.set(id, { serverId: server.id, label: this.label(server, replica), replica, attempts: 0, lastError: null, nextRetryAt: 0 });
    }
    for (const serverId of this.catalogs.keys()) if (!this.servers.has(serverId)) this.catalogs.delete(serverId);
  }

  has(serverId: string): boolean {
    return this.servers.has(serverId);
  }

  server(serverId: string): ResolvedServer | undefined {
    return this.servers.get(serverId);
  }

  /** The replica's live connection, connecting on first use; fails fast with the last error while backing off. */
  connection(replicaId: string): Promise<UpstreamConnection> {
    const entry = this.entries.get(replicaId);
    if (!entry) return Promise.reject(new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled'));
    if (entry.connection?.alive) return Promise.resolve(entry.connection);
    if (entry.connecting) return entry.connecting;
    const wait = entry.nextRetryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(
        new RpcError(
          RpcCode.UPSTREAM_UNAVAILABLE,
          `Server "${entry.label}" is unavailable (${entry.lastError}); next retry in ${Math.ceil(wait / 1000)} s`,
          { server: entry.label },
        ),
      );
    }
    return this.connect(replicaId, entry);
  }

  /** True when a call could go to this replica now (connected, or allowed to try connecting). */
  reachable(replicaId: string): boolean {
    const entry = this.entries.get(replicaId);
    return !!entry && (!!entry.connection?.alive || !!entry.connecting || entry.nextRetryAt <= Date.now());
  }

  /** The server's tools/resources/templates/prompts, cached until it reports a change; read from any replica. */
  async catalog(serverId: string): Promise<ServerCatalog> {
    const server = this.servers.get(serverId);
    if (!server) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled');
    let cached = this.catalogs.get(serverId);
    if (!cached) this.catalogs.set(serverId, (cached = {}));
    if (cached.catalog) return cached.catalog;
    if (cached.loading) return cached.loading;
    const entry = cached;
    const loading = this.firstConnection(server)
      .then((connection) => fetchCatalog(connection, this.config.gateway.requestTimeoutMs))
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

  status(replicaId: string): UpstreamStatus | null {
    const entry = this.entries.get(replicaId);
    if (!entry) return null;
    return {
      connected: !!entry.connection?.alive,
      attempts: entry.attempts,
      lastError: entry.lastError,
      nextRetryAt: entry.nextRetryAt > Date.now() ? new Date(entry.nextRetryAt) : null,
      inFlight: entry.connection?.inFlight ?? 0,
      pid: entry.connection?.pid ?? null,
      protocolVersion: (entry.connection?.alive && entry.connection.protocolVersion) || null,
    };
  }

  /** Stops a replica (or every replica of a server) now; the next call or the restart timer starts it again. */
  async restart(replicaId: string): Promise<void> {
    const entry = this.entries.get(replicaId);
    if (!entry) return;
    clearTimeout(entry.restartTimer);
    const connection = entry.connection;
    entry.connection = undefined;
    entry.attempts = 0;
    entry.nextRetryAt = 0;
    entry.lastError = null;
    await connection?.close();
    await this.connection(replicaId);
    this.invalidateCatalog(entry.serverId);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.entries.entries()].map(([id, entry]) => this.drop(id, entry)));
  }

  // UpstreamEvents, from connections
  onNotification(connection: UpstreamConnection, message: JsonRpcNotification): void {
    const { serverId } = connection.identity;
    const kinds = KIND_OF_LIST_CHANGED[message.method];
    if (kinds) void this.refreshLists(serverId, connection, kinds);
    for (const l of this.listeners) l.onNotification(serverId, message);
  }

  onRequest(connection: UpstreamConnection, message: JsonRpcRequest): void {
    const { serverId } = connection.identity;
    for (const l of this.listeners) l.onRequest(serverId, connection, message);
  }

  onLost(connection: UpstreamConnection, reason: string): void {
    const { replicaId } = connection.identity;
    const entry = this.entries.get(replicaId);
    if (!entry || entry.connection !== connection) return;
    entry.connection = undefined;
    this.backOff(entry, reason);
    this.logger.warn({ server: entry.label, reason, retryInMs: entry.nextRetryAt - Date.now() }, 'upstream lost');
    this.scheduleRestart(replicaId, entry);
  }

  private label(server: ResolvedServer, replica: ResolvedReplica): string {
    return replica.id === server.id ? server.slug : `${server.slug}/${replica.name}`;
  }

  /** Any replica that connects, lowest tier first: lists do not depend on which replica serves them. */
  private async firstConnection(server: ResolvedServer): Promise<UpstreamConnection> {
    let lastError: unknown;
    for (const replica of [...server.replicas].sort((a, b) => a.priority - b.priority)) {
      try {
        return await this.connection(replica.id);
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

  private connect(replicaId: string, entry: Entry): Promise<UpstreamConnection> {
    // Restricted servers' errors reach agents and owners as a generic text; the details are logged here.
    const report = (error: unknown) => this.logger.warn({ server: entry.label, err: (error as Error)?.message }, 'upstream transport error');
    const newTransport = () => createGatewayTransport(entry.replica.transport, { maxMessageBytes: this.config.gateway.maxMessageBytes, egress: this.egress, report });
    const identity = { serverId: entry.serverId, replicaId, slug: entry.label };
    if (entry.started) {
      const serverSlug = this.servers.get(entry.serverId)?.slug ?? entry.label;
      for (const hook of this.restartHooks) hook(serverSlug, entry.replica.name);
    }
    entry.started = true;
    const connecting = connectInEra(identity, entry.replica.transport, newTransport, this, this.config.gateway.connectTimeoutMs)
      .then((connection) => {
        if (this.entries.get(replicaId) !== entry || this.stopped) {
          void connection.close();
          throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" was reconfigured while connecting`);
        }
        const restarted = entry.attempts > 0;
        entry.connection = connection;
        entry.attempts = 0;
        entry.lastError = null;
        entry.nextRetryAt = 0;
        // Lists may differ after a restart: refetch and let sessions know.
        if (restarted) this.invalidateCatalog(entry.serverId);
        return connection;
      })
      .catch((error: Error) => {
        if (this.entries.get(replicaId) === entry) this.backOff(entry, error.message);
        throw error instanceof RpcError
          ? error
          : new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.label}" could not be started: ${error.message}`, { server: entry.label });
      })
      .finally(() => {
        entry.connecting = undefined;
      });
    entry.connecting = connecting;
    return connecting;
  }

  private backOff(entry: Entry, reason: string): void {
    entry.attempts += 1;
    entry.lastError = reason;
    entry.nextRetryAt = Date.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** (entry.attempts - 1));
  }

  /** A crashed server is brought back on its own once the backoff allows, so agents find it running. */
  private scheduleRestart(replicaId: string, entry: Entry): void {
    clearTimeout(entry.restartTimer);
    entry.restartTimer = setTimeout(() => {
      if (this.stopped || this.entries.get(replicaId) !== entry || entry.connection?.alive) return;
      this.connection(replicaId).catch((error: Error) => {
        this.logger.warn({ server: entry.label, err: error.message, attempt: entry.attempts }, 'upstream restart failed');
        this.scheduleRestart(replicaId, entry);
      });
    }, Math.max(0, entry.nextRetryAt - Date.now()));
    entry.restartTimer.unref();
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
    clearTimeout(entry.restartTimer);
    const connection = entry.connection ?? (await entry.connecting?.catch(() => undefined));
    await connection?.close();
    this.invalidateCatalog(entry.serverId);
  }
}
