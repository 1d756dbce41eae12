import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { In, QueryFailedError, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, PINO, badInput, slugFromName, validate, type Logger } from '#core';
import { Permission, authorizeAttempt, type Actor } from '#auth';
import { ResourceSharesRepository, ShareableType, pageSchema } from '#users';
import { CredentialResolver } from '#credentials';
import { ServerEndpoint } from './endpoints/server-endpoint.entity.js';
import { endpointOrder, primaryEndpoint } from './endpoints/primary-endpoint.js';
import { McpServer, ServerTransport, defaultConnectionPlacement } from './mcp-server.entity.js';
import { mergeServerUpdate } from './merge-server-update.js';
import { serverConfigSchema, serverUpdateSchema, type ServerConfig, type ServerConfigInput, type ServerUpdateInput } from './server-input.schema.js';
import { ServerSecrets } from './server-secrets.js';
import { authorizeServer, visibleServersWhere } from './server-visibility.js';
import { EgressGuard, egressModeFor } from './egress/egress-guard.js';
import { EGRESS_REFUSED_TEXT } from './egress/egress.errors.js';
import type { EgressMode } from './egress/egress-policy.js';
import { probeServer } from './upstream/probe-server.js';
import { variableSubject, type ResolvedServer, type UpstreamTransportConfig } from './upstream/upstream-transport-config.js';

export const PROBE_TIMEOUT_MS = 15_000;

export interface ServerTestResult {
  ok: boolean;
  error: string | null;
  toolCount: number | null;
  resourceCount: number | null;
  promptCount: number | null;
  resourceTemplateCount: number | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
  latencyMs: number | null;
}

@Injectable()
export class ServersService {
  constructor(
    @InjectRepository(McpServer) private readonly servers: Repository<McpServer>,
    @InjectRepository(ServerEndpoint) private readonly endpoints: Repository<ServerEndpoint>,
    private readonly secrets: ServerSecrets,
    private readonly bus: ConfigChangeBus,
    private readonly egress: EgressGuard,
    private readonly shares: ResourceSharesRepository,
    private readonly credentialResolver: CredentialResolver,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async register(viewer: Actor, input: ServerConfigInput): Promise<McpServer> {
    const server = this.prepare(viewer, input);
    const saved = await this.saveUnique(server, !input.slug);
    await this.bus.publish({ kind: 'server', id: server.id });
    return saved;
  }

  /**
   * A new server row, checked (who may run commands, the input, egress) and with its secrets sealed, not saved: for
   * operations that save it in a transaction of their own (importClientConfig, a user backup's restore). `prefix`
   * names the input's fields; `id` keeps a restored server's id (agent keys and rules refer to it).
   */
  prepare(viewer: Actor, input: ServerConfigInput, prefix = 'input', id: string = randomUUID()): McpServer {
    authorizeAttempt(viewer, Permission.SERVER_CREATE);
    if (input.transport === ServerTransport.STDIO) assertMayRunCommands(viewer);
    const data = validate(serverConfigSchema, input, prefix);
    this.assertUrlAllowed(data.url, egressModeFor(viewer.role), `${prefix}.url`);
    const slug = data.slug ?? derivedSlug(data.name, prefix);
    // The id is part of every secret's sealing context, so it is chosen before the insert. The primary endpoint
    // shares it: health history, routing rules and metrics name the primary by the server's id.
    const { transport, command, args, cwd, url, env, headers, ...serverFields } = data;
    const primary = this.endpoints.create({
      id,
      serverId: id,
      primary: true,
      name: 'primary',
      ...{ transport, command, args, cwd, url },
      env: this.secrets.seal(id, 'env', env),
      headers: this.secrets.seal(id, 'header', headers),
      weight: 1,
      priority: 0,
      enabled: true,
    });
    return this.servers.create({
      ...serverFields,
      id,
      slug,
      ownerId: viewer.id,
      // Every creation comes here (registerServer, marketplace installs, config imports, restores); updateServerBalancing changes it.
      connectionPlacement: defaultConnectionPlacement(transport),
      capabilities: null,
      capabilitiesAt: null,
      lastError: null,
      endpoints: [primary],
    });
  }

  /** Which of these slugs servers already have (one query). */
  async takenSlugs(slugs: string[]): Promise<Set<string>> {
    if (!slugs.length) return new Set();
    const rows = await this.servers.find({ where: { slug: In(slugs) }, select: { slug: true }, loadEagerRelations: false });
    return new Set(rows.map((r) => r.slug));
  }

  /** Partial update; env/headers given replace the whole list (an entry with value null keeps its stored secret). */
  async update(viewer: Actor, id: string, input: ServerUpdateInput): Promise<McpServer> {
    const patch = validate(serverUpdateSchema, input, 'input');
    const server = await this.get(viewer, id, 'id', Permission.SERVER_UPDATE);
    const endpoint = primaryEndpoint(server);
    if (endpoint.transport === ServerTransport.STDIO || patch.transport === ServerTransport.STDIO) assertMayRunCommands(viewer);
    const data: ServerConfig = validate(serverConfigSchema, mergeServerUpdate(this.secrets.storedConfig(server), patch), 'input');
    this.assertUrlAllowed(data.url, await this.egressMode(viewer, server));
    const { transport, command, args, cwd, url, env, headers, ...serverFields } = data;
    const endpointChanged =
      transport !== endpoint.transport || url !== endpoint.url || command !== endpoint.command || cwd !== endpoint.cwd || args.join('\0') !== endpoint.args.join('\0');
    Object.assign(server, { ...serverFields, slug: serverFields.slug ?? server.slug });
    // What a placement means depends on the transport (a process per hub, or a connection per hub): a server that
    // changes transport takes the new transport's default, as at creation; updateServerBalancing changes it after.
    if (transport !== endpoint.transport) server.connectionPlacement = defaultConnectionPlacement(transport);
    Object.assign(endpoint, {
      ...{ transport, command, args, cwd, url },
      env: this.secrets.reseal(endpoint.id, 'env', env, endpoint.env),
      headers: this.secrets.reseal(endpoint.id, 'header', headers, endpoint.headers),
    });
    // A snapshot of what used to be at the other end would mislead.
    if (endpointChanged) Object.assign(server, { capabilities: null, capabilitiesAt: null, lastError: null });
    const saved = await this.saveUnique(server, false);
    await this.bus.publish({ kind: 'server', id: server.id });
    return saved;
  }

  /**
   * Group memberships go with the row (ON DELETE CASCADE). Only a server change is published: the gateway re-resolves
   * the groups whose serverIds contain the removed id (GroupsService cannot be told without a dependency cycle).
   */
  async remove(viewer: Actor, id: string): Promise<boolean> {
    const server = await this.get(viewer, id, 'id', Permission.SERVER_DELETE);
    // One transaction: the shares go with the server, and the audit entry (remove() hands it the row) commits with both.
    await this.servers.manager.transaction(async (manager) => {
      await manager.getRepository(McpServer).remove(server);
      await this.shares.removeAllFor(manager, ShareableType.SERVER, id);
    });
    await this.bus.publish({ kind: 'server', id });
    return true;
  }

  /** What the access policy lets the viewer read. */
  list(viewer: Actor, page: { first?: number; offset?: number }): Promise<McpServer[]> {
    const { first, offset } = validate(pageSchema, page);
    return this.servers.find({
      where: visibleServersWhere(viewer),
      order: { createdAt: 'ASC', id: 'ASC' },
      take: first,
      skip: offset,
    });
  }

  /** Someone else's server is "not found" to a member (unless shared with their team): no probing for ids. */
  async get(viewer: Actor, id: string, field = 'id', permission = Permission.SERVER_READ): Promise<McpServer> {
    if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
    const server = await this.shares.attach(ShareableType.SERVER, await this.servers.findOneBy({ id }));
    return authorizeServer(viewer, permission, server, id);
  }

  findByIds(ids: string[]): Promise<McpServer[]> {
    return ids.length ? this.servers.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** Each `${NAME}` of the server's configuration and which credential would fill it in a call by `viewer`. */
  variables(viewer: Actor, server: McpServer): Promise<{ name: string; source: string | null }[]> {
    let template: unknown;
    try {
      template = this.secrets.transportConfig({ ...primaryEndpoint(server), slug: server.slug });
    } catch {
      return Promise.resolve([]); // unreadable secrets: the server cannot be used anyway, and env/headers say so
    }
    return this.credentialResolver.availability(template, variableSubject(server, viewer.id));
  }

  maskedEntries(server: McpServer, kind: 'env' | 'header'): { name: string; maskedValue: string }[] {
    return this.secrets.mask(primaryEndpoint(server), kind);
  }

  /** Connects to the server and stores what it offers. An upstream failure is a result (ok: false), not an error. */
  async test(viewer: Actor, id: string): Promise<ServerTestResult> {
    const server = await this.get(viewer, id, 'id', Permission.SERVER_UPDATE);
    const started = performance.now();
    try {
      const template = withEgress(this.secrets.transportConfig({ ...primaryEndpoint(server), slug: server.slug }), await this.egressMode(viewer, server));
      // Tested as the tester would call it: with their credentials (PER_USER) or the owner's (SHARED).
      const { value: config } = await this.credentialResolver.resolve(template, variableSubject(server, viewer.id), server.slug);
      const snapshot = await probeServer(config, PROBE_TIMEOUT_MS, this.egress);
      const latencyMs = Math.round(performance.now() - started);
      await this.servers.save(Object.assign(server, { capabilities: snapshot, capabilitiesAt: new Date(), lastError: null }));
      return {
        ok: true,
        error: null,
        toolCount: snapshot.tools.length,
        resourceCount: snapshot.resources.length,
        promptCount: snapshot.prompts.length,
        resourceTemplateCount: snapshot.resourceTemplates.length,
        serverName: snapshot.serverInfo?.name ?? null,
        serverVersion: snapshot.serverInfo?.version ?? null,
        protocolVersion: snapshot.protocolVersion,
        latencyMs,
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const error_ = `Server ${server.slug} failed the test: ${error instanceof Error ? error.message : String(error)}`;
      await this.servers.save(Object.assign(server, { lastError: error_ }));
      // The owner may see only a generic text (egress policy); the log keeps what really happened.
      const detail = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
      this.logger.info({ serverId: server.id, slug: server.slug, error: error_, detail }, 'server test failed');
      return { ...EMPTY_RESULT, error: error_, latencyMs };
    }
  }

  /** Every server with secrets in clear, for the gateway's in-memory view. Servers whose secrets cannot be opened are left out (and logged). */
  async resolveAll(): Promise<ResolvedServer[]> {
    return this.resolveRows(await this.servers.find({ order: { createdAt: 'ASC', id: 'ASC' }, relations: { owner: true } }));
  }

  /**
   * These servers only (one query; only their secrets are opened): a view reloading after a change to some. Ids
   * that are not in the result were deleted, are not UUIDs, or have unreadable secrets: none can be used.
   */
  async resolveMany(ids: readonly string[]): Promise<ResolvedServer[]> {
    const valid = ids.filter((id) => z.uuid().safeParse(id).success);
    if (!valid.length) return [];
    return this.resolveRows(await this.servers.find({ where: { id: In(valid) }, order: { createdAt: 'ASC', id: 'ASC' }, relations: { owner: true } }));
  }

  /** null when the server does not exist (or its secrets cannot be opened: it cannot be used either way). */
  async resolveOne(id: string): Promise<ResolvedServer | null> {
    return (await this.resolveMany([id]))[0] ?? null;
  }

  private async resolveRows(rows: McpServer[]): Promise<ResolvedServer[]> {
    const resolveRow = (row: McpServer) => this.resolve(row);
    let resolved = rows.map(resolveRow);
    // A key rotation this hub missed: the keyring reloads once, then the skipped servers get a second chance.
    if (resolved.includes(null) && (await this.secrets.keysReloaded())) resolved = rows.map((row, i) => resolved[i] ?? resolveRow(row));
    return resolved.filter((s): s is ResolvedServer => s !== null);
  }

  private resolve(server: McpServer): ResolvedServer | null {
    try {
      const { id, slug, name, enabled, ownerId, loadBalancing, retryCalls, healthCheckIntervalSeconds, credentialScope, connectionPlacement } = server;
      const mode = egressModeFor(server.owner?.role);
      // The primary is always used (the server's own switch turns it off); the others when enabled.
      const replicas = server.endpoints
        .filter((e) => e.primary || e.enabled)
        .sort(endpointOrder)
        .map((e) => ({
          id: e.id,
          name: e.name,
          primary: e.primary,
          weight: e.weight,
          priority: e.priority,
          transport: withEgress(this.secrets.transportConfig({ ...e, slug: e.primary ? slug : `${slug}/${e.name}` }), mode),
        }));
      const primary = replicas.find((r) => r.primary);
      if (!primary) throw new Error('no primary endpoint');
      return {
        id,
        slug,
        name,
        enabled,
        ownerId,
        credentialScope,
        transport: primary.transport,
        loadBalancing,
        retryCalls,
        healthCheckIntervalSeconds,
        connectionPlacement,
        replicas,
      };
    } catch (error) {
      this.logger.error({ serverId: server.id, slug: server.slug, err: (error as Error).message }, 'server skipped: secrets unreadable or no primary endpoint');
      return null;
    }
  }

  /** The server owner's egress mode: the viewer's own when they own it, else from the owner's role. */
  async egressMode(viewer: Actor, server: Pick<McpServer, 'id' | 'ownerId'>): Promise<EgressMode> {
    if (server.ownerId === viewer.id) return egressModeFor(viewer.role);
    const row = await this.servers.findOne({ where: { id: server.id }, relations: { owner: true }, loadEagerRelations: false });
    return egressModeFor(row?.owner?.role);
  }

  /**
   * Refuses, at registration, URLs whose host is a forbidden IP literal (any form WHATWG URL normalises) or a local
   * or metadata name. The real protection is the connect-time check of the resolved address (EgressGuard).
   */
  assertUrlAllowed(url: string | null | undefined, mode: EgressMode, field = 'input.url'): void {
    const refusal = url ? this.egress.urlRefusal(url, mode) : null;
    if (refusal) throw badInput(field, `${EGRESS_REFUSED_TEXT}: the host is ${refusal} (an admin may allow it with UPSTREAM_ALLOWED_HOSTS)`);
  }

  private async saveUnique(server: McpServer, slugDerived: boolean): Promise<McpServer> {
    try {
      return await this.servers.save(server);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        const how = slugDerived ? ' (derived from the name); choose another slug' : '';
        throw new DomainError(ErrorCode.CONFLICT, `input.slug: a server with slug "${server.slug}" already exists${how}`, {
          field: 'input.slug',
        });
      }
      throw error;
    }
  }
}

const EMPTY_RESULT: ServerTestResult = {
  ok: false,
  error: null,
  toolCount: null,
  resourceCount: null,
  promptCount: null,
  resourceTemplateCount: null,
  serverName: null,
  serverVersion: null,
  protocolVersion: null,
  latencyMs: null,
};

function withEgress(config: UpstreamTransportConfig, egress: EgressMode): UpstreamTransportConfig {
  return config.type === 'stdio' ? config : { ...config, egress };
}

function assertMayRunCommands(viewer: Actor): void {
  authorizeAttempt(viewer, Permission.SERVER_RUN_COMMAND, "Only admins may register or change STDIO servers: stdio servers run programs on the hub's machine");
}

function derivedSlug(name: string, prefix: string): string {
  const slug = slugFromName(name);
  if (!slug) throw badInput(`${prefix}.slug`, 'cannot be derived from the name (no letters or digits); give one');
  return slug;
}
