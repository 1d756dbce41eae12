import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { HUB_CONFIG, PINO, type HubConfig } from '#core';
import type { ResolvedServer } from '#servers';
import { RpcCode, RpcError, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { KIND_OF_LIST_CHANGED, fetchCatalog, fetchList, type CatalogKind, type ServerCatalog } from './server-catalog.js';
import { UpstreamConnection, type UpstreamEvents } from './upstream-connection.js';
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
}

interface Entry {
  server: ResolvedServer;
  connection?: UpstreamConnection;
  connecting?: Promise<UpstreamConnection>;
  catalog?: ServerCatalog;
  catalogLoading?: Promise<ServerCatalog>;
  attempts: number;
  lastError: string | null;
  nextRetryAt: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * One shared upstream connection per server: started on first use, used concurrently by every agent session,
 * restarted with exponential backoff after a crash, and stopped (whole process tree) on shutdown.
 */
@Injectable()
export class UpstreamPool implements OnApplicationShutdown, UpstreamEvents {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<PoolListener>();
  private stopped = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  addListener(listener: PoolListener): void {
    this.listeners.add(listener);
  }

  /** Applies the current server configuration; servers whose transport changed or that went away are stopped. */
  setServers(servers: ResolvedServer[]): void {
    const next = new Map(servers.filter((s) => s.enabled).map((s) => [s.id, s]));
    for (const [id, entry] of this.entries) {
      const updated = next.get(id);
      if (updated && JSON.stringify(updated.transport) === JSON.stringify(entry.server.transport)) {
        entry.server = updated;
        continue;
      }
      this.drop(id, entry);
    }
    for (const [id, server] of next) {
      if (!this.entries.has(id)) this.entries.set(id, { server, attempts: 0, lastError: null, nextRetryAt: 0 });
    }
  }

  has(serverId: string): boolean {
    return this.entries.has(serverId);
  }

  /** The live connection, connecting on first use; fails fast with the last error while backing off. */
  connection(serverId: string): Promise<UpstreamConnection> {
    const entry = this.entries.get(serverId);
    if (!entry) return Promise.reject(new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled'));
    if (entry.connection?.alive) return Promise.resolve(entry.connection);
    if (entry.connecting) return entry.connecting;
    const wait = entry.nextRetryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(
        new RpcError(
          RpcCode.UPSTREAM_UNAVAILABLE,
          `Server "${entry.server.slug}" is unavailable (${entry.lastError}); next retry in ${Math.ceil(wait / 1000)} s`,
          { server: entry.server.slug },
        ),
      );
    }
    return this.connect(serverId, entry);
  }

  /** The server's tools/resources/templates/prompts, cached until it reports a change. */
  async catalog(serverId: string): Promise<ServerCatalog> {
    const entry = this.entries.get(serverId);
    if (!entry) throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, 'Server is not configured or disabled');
    if (entry.catalog) return entry.catalog;
    if (entry.catalogLoading) return entry.catalogLoading;
    const loading = this.connection(serverId)
      .then((connection) => fetchCatalog(connection, this.config.gateway.requestTimeoutMs))
      .then((catalog) => {
        if (this.entries.get(serverId) === entry) entry.catalog = catalog;
        return catalog;
      })
      .finally(() => {
        if (entry.catalogLoading === loading) entry.catalogLoading = undefined;
      });
    entry.catalogLoading = loading;
    return loading;
  }

  status(serverId: string): UpstreamStatus | null {
    const entry = this.entries.get(serverId);
    if (!entry) return null;
    return {
      connected: !!entry.connection?.alive,
      attempts: entry.attempts,
      lastError: entry.lastError,
      nextRetryAt: entry.nextRetryAt > Date.now() ? new Date(entry.nextRetryAt) : null,
      inFlight: entry.connection?.inFlight ?? 0,
      pid: entry.connection?.pid ?? null,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.entries.entries()].map(([id, entry]) => this.drop(id, entry)));
  }

  // UpstreamEvents, from connections
  onNotification(connection: UpstreamConnection, message: JsonRpcNotification): void {
    const serverId = connection.identity.serverId;
    const kinds = KIND_OF_LIST_CHANGED[message.method];
    if (kinds) void this.refreshLists(serverId, connection, kinds);
    for (const l of this.listeners) l.onNotification(serverId, message);
  }

  onRequest(connection: UpstreamConnection, message: JsonRpcRequest): void {
    for (const l of this.listeners) l.onRequest(connection.identity.serverId, connection, message);
  }

  onLost(connection: UpstreamConnection, reason: string): void {
    const serverId = connection.identity.serverId;
    const entry = this.entries.get(serverId);
    if (!entry || entry.connection !== connection) return;
    entry.connection = undefined;
    this.backOff(entry, reason);
    this.logger.warn({ server: entry.server.slug, reason, retryInMs: entry.nextRetryAt - Date.now() }, 'upstream lost');
    this.scheduleRestart(serverId, entry);
  }

  private connect(serverId: string, entry: Entry): Promise<UpstreamConnection> {
    const connection = new UpstreamConnection({ serverId, slug: entry.server.slug }, createGatewayTransport(entry.server.transport), this);
    const connecting = connection
      .connect(this.config.gateway.connectTimeoutMs)
      .then(() => {
        if (this.entries.get(serverId) !== entry || this.stopped) {
          void connection.close();
          throw new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.server.slug}" was reconfigured while connecting`);
        }
        const restarted = entry.attempts > 0;
        entry.connection = connection;
        entry.attempts = 0;
        entry.lastError = null;
        entry.nextRetryAt = 0;
        if (restarted) {
          // Lists may differ after a restart: refetch and let sessions know.
          entry.catalog = undefined;
          for (const l of this.listeners) l.onCatalogChanged(serverId);
        }
        return connection;
      })
      .catch((error: Error) => {
        void connection.close();
        if (this.entries.get(serverId) === entry) this.backOff(entry, error.message);
        throw error instanceof RpcError
          ? error
          : new RpcError(RpcCode.UPSTREAM_UNAVAILABLE, `Server "${entry.server.slug}" could not be started: ${error.message}`, { server: entry.server.slug });
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
  private scheduleRestart(serverId: string, entry: Entry): void {
    clearTimeout(entry.restartTimer);
    entry.restartTimer = setTimeout(() => {
      if (this.stopped || this.entries.get(serverId) !== entry || entry.connection?.alive) return;
      this.connection(serverId).catch((error: Error) => {
        this.logger.warn({ server: entry.server.slug, err: error.message, attempt: entry.attempts }, 'upstream restart failed');
        this.scheduleRestart(serverId, entry);
      });
    }, Math.max(0, entry.nextRetryAt - Date.now()));
    entry.restartTimer.unref();
  }

  private async refreshLists(serverId: string, connection: UpstreamConnection, kinds: CatalogKind[]): Promise<void> {
    const entry = this.entries.get(serverId);
    if (!entry?.catalog) return;
    const catalog = { ...entry.catalog };
    for (const kind of kinds) catalog[kind] = await fetchList(connection, kind, this.config.gateway.requestTimeoutMs).catch(() => catalog[kind]);
    if (this.entries.get(serverId) !== entry) return;
    entry.catalog = catalog;
    for (const l of this.listeners) l.onCatalogChanged(serverId);
  }

  private async drop(serverId: string, entry: Entry): Promise<void> {
    this.entries.delete(serverId);
    clearTimeout(entry.restartTimer);
    const connection = entry.connection ?? (await entry.connecting?.catch(() => undefined));
    await connection?.close();
    for (const l of this.listeners) l.onCatalogChanged(serverId);
  }
}
