import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigChangeBus, PINO } from '#core';
import { GroupsService, type ResolvedGroup } from '#groups';
import { ServersService, type ResolvedServer } from '#servers';
import { RoutingRulesService, type CompiledRuleSet } from '#routing-rules';
import type { ServerCatalog } from '../upstream/server-catalog.js';
import { UpstreamTokens } from '#upstream-oauth';
import { UpstreamPool, type AuthorizationChange, type CredentialChange, type PoolListener } from '../upstream/upstream-pool.js';
import { ToolPinView } from '../pinning/tool-pin-view.js';
import { GroupCatalog } from './group-catalog.js';
import { PendingViewChanges } from './pending-view-changes.js';

/** A catalog missing a failed server is rebuilt after this long, so the server's tools return when it does. */
const INCOMPLETE_CATALOG_TTL_MS = 5_000;

export interface ViewListener {
  /** The group's aggregated lists may have changed (config change, upstream list_changed, restart). */
  onGroupChanged(groupSlug: string): void;
}

/**
 * In-memory view of groups and servers for the data plane: loaded at boot, reloaded when the config bus says
 * something changed (before the mutation that changed it returns, on the hub that ran it). The agent call path
 * reads only this, never the database.
 */
@Injectable()
export class GatewayView implements OnApplicationBootstrap, OnApplicationShutdown, Pick<PoolListener, 'onCatalogChanged'> {
  private groupsBySlug = new Map<string, ResolvedGroup>();
  private groupsById = new Map<string, ResolvedGroup>();
  private servers = new Map<string, ResolvedServer>();
  private rules = new Map<string, CompiledRuleSet>();
  private readonly catalogs = new Map<string, { promise: Promise<GroupCatalog>; expiresAt: number }>();
  private readonly listeners = new Set<ViewListener>();
  private reloading?: Promise<void>;
  private pending = new PendingViewChanges();
  private unsubscribe?: () => void;

  constructor(
    private readonly groupsService: GroupsService,
    private readonly serversService: ServersService,
    private readonly rulesService: RoutingRulesService,
    private readonly pool: UpstreamPool,
    private readonly bus: ConfigChangeBus,
    private readonly pins: ToolPinView,
    private readonly tokens: UpstreamTokens,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.pool.addListener({ onCatalogChanged: (id) => this.onCatalogChanged(id), onNotification: () => undefined, onRequest: () => undefined });
    // Tool pinning: every list read is checked against the approved definitions; approvals rebuild the catalogs.
    await this.pins.start();
    this.pool.onToolsRead((id, tools) => this.pins.observe(id, tools, this.pinned(id)));
    this.pins.onChanged((id) => this.onCatalogChanged(id));
    // Applied before the publishing mutation returns: an agent's next call sees what the mutation answered.
    this.unsubscribe = this.bus.subscribeApplied((change) => {
      if (this.pending.add(change, (userId) => this.serversOwnedBy(userId))) return this.reload();
      if (change.kind === 'credential') return change.id === '*' ? this.pool.recycleAll() : this.pool.credentialChanged(change.detail as unknown as CredentialChange);
      if (change.kind === 'upstream-authorization') return this.authorizationChanged(change.detail as unknown as AuthorizationChange);
    });
    this.pending.everything = true;
    await this.reload();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  addListener(listener: ViewListener): void {
    this.listeners.add(listener);
  }

  group(slug: string): ResolvedGroup | undefined {
    return this.groupsBySlug.get(slug);
  }

  groupById(id: string): ResolvedGroup | undefined {
    return this.groupsById.get(id);
  }

  server(id: string): ResolvedServer | undefined {
    return this.servers.get(id);
  }

  /** The group's compiled routing rules (undefined: none). */
  rulesOf(groupId: string): CompiledRuleSet | undefined {
    return this.rules.get(groupId);
  }

  groupsContaining(serverId: string): ResolvedGroup[] {
    return [...this.groupsBySlug.values()].filter((g) => g.serverIds.includes(serverId));
  }

  /**
   * The group's aggregated catalog; member servers are started on first use, failed ones left out. A PER_USER
   * member's lists are read through the caller's connection (or anyone's already open) and then shared: people
   * see the same tools, only their calls go through their own connection.
   */
  catalog(slug: string, callerId?: string): Promise<GroupCatalog> {
    const cached = this.catalogs.get(slug);
    if (cached && cached.expiresAt > Date.now()) return cached.promise;
    const group = this.groupsBySlug.get(slug);
    if (!group) return Promise.reject(new Error(`Group "${slug}" no longer exists`));
    const entry = { promise: this.buildCatalog(group, callerId), expiresAt: Infinity };
    this.catalogs.set(slug, entry);
    entry.promise.then(
      (catalog) => {
        if (catalog.unavailable.length) entry.expiresAt = Date.now() + INCOMPLETE_CATALOG_TTL_MS;
      },
      () => undefined, // the caller gets the rejection; this side branch must not become an unhandled one
    );
    return entry.promise;
  }

  /** A first authorization may make a server's lists readable: groups that went without them rebuild. */
  private async authorizationChanged(change: AuthorizationChange): Promise<void> {
    await this.pool.authorizationChanged(change);
    this.onCatalogChanged(change.serverId);
  }

  onCatalogChanged(serverId: string): void {
    for (const group of this.groupsContaining(serverId)) this.invalidate(group.slug);
  }

  /**
   * Applies the pending changes, serialised: a change arriving during a pass is applied by the next one, never by
   * two passes at once. The returned promise settles once every change pending when it was called is applied.
   */
  private reload(): Promise<void> {
    this.reloading ??= this.applyPending();
    return this.reloading;
  }

  private async applyPending(): Promise<void> {
    // Changes delivered together (a restore's, or the heal path's `*` of each kind) make one pass.
    await Promise.resolve();
    while (!this.pending.empty) {
      const work = this.pending;
      this.pending = new PendingViewChanges();
      try {
        await (work.everything ? this.loadAll() : this.loadSome(work));
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'gateway view reload failed; keeping the previous view');
      }
    }
    // In the same synchronous step as the last check: a change from here on starts a new pass.
    this.reloading = undefined;
  }

  private async loadAll(): Promise<void> {
    // One after another: in embedded mode the database serves one query at a time anyway.
    const groups = await this.groupsService.resolveAll();
    const servers = await this.serversService.resolveAll();
    const oauthServerIds = new Set(await this.tokens.enabledServerIds());
    // A rollback restores a group's rules too: rules are reloaded with groups.
    this.rules = await this.rulesService.compiledForAll();
    this.pool.setServers(servers, oauthServerIds);
    const touched = { servers: [...this.servers.keys(), ...servers.map((s) => s.id)], groups: [...this.groupsById.keys(), ...groups.map((g) => g.id)] };
    this.swap(new Map(servers.map((s) => [s.id, s])), new Map(groups.map((g) => [g.id, g])), touched);
  }

  /** Reads only the changed servers (opening only their secrets), the changed groups and their rules. */
  private async loadSome(work: PendingViewChanges): Promise<void> {
    const serverIds = [...work.servers];
    const servers = await this.serversService.resolveMany(serverIds);
    const oauthServerIds = new Set(serverIds.length ? await this.tokens.enabledServerIds(serverIds) : []);
    // A deleted server leaves its groups (memberships cascade, and only `server` is published): they are read again.
    const groupIds = new Set(work.groups);
    const found = new Set(servers.map((s) => s.id));
    for (const id of serverIds) if (!found.has(id)) for (const group of this.groupsContaining(id)) groupIds.add(group.id);
    const groups = await this.groupsService.resolveMany([...groupIds]);
    // A group change may be a rollback, which restores the group's rules too.
    const ruleGroupIds = [...new Set([...work.groups, ...work.rules])];
    const rules = ruleGroupIds.length ? await this.rulesService.compiledForGroups(ruleGroupIds) : new Map<string, CompiledRuleSet>();

    const nextRules = new Map(this.rules);
    for (const id of ruleGroupIds) {
      const compiled = rules.get(id);
      if (compiled) nextRules.set(id, compiled);
      else nextRules.delete(id);
    }
    this.rules = nextRules;
    const nextServers = new Map(this.servers);
    for (const id of serverIds) nextServers.delete(id);
    for (const server of servers) nextServers.set(server.id, server);
    const nextGroups = new Map(this.groupsById);
    for (const id of groupIds) nextGroups.delete(id);
    for (const group of groups) nextGroups.set(group.id, group);
    this.pool.updateServers(new Set(serverIds), servers, oauthServerIds);
    this.swap(nextServers, nextGroups, { servers: serverIds, groups: groupIds });
  }

  /**
   * Installs the new view and drops the cached catalogs it made stale: of groups whose shape changed, and of groups
   * (before or after) containing a server whose configuration changed. Only `touched` ids are compared.
   */
  private swap(servers: Map<string, ResolvedServer>, groupsById: Map<string, ResolvedGroup>, touched: { servers: Iterable<string>; groups: Iterable<string> }): void {
    const previousServers = this.servers;
    const previousGroups = [...this.groupsById.values()];
    const previousById = this.groupsById;
    this.servers = servers;
    this.groupsById = groupsById;
    this.groupsBySlug = new Map([...groupsById.values()].map((g) => [g.slug, g]));
    const stale = new Set<string>();
    for (const id of new Set(touched.servers)) {
      if (JSON.stringify(previousServers.get(id)) === JSON.stringify(servers.get(id))) continue;
      for (const group of [...previousGroups, ...groupsById.values()]) if (group.serverIds.includes(id)) stale.add(group.slug);
    }
    for (const id of new Set(touched.groups)) {
      const before = previousById.get(id);
      const after = groupsById.get(id);
      if (catalogShape(before) === catalogShape(after)) continue;
      if (before) stale.add(before.slug);
      if (after) stale.add(after.slug);
    }
    for (const slug of stale) this.invalidate(slug);
  }

  /** The servers in the view that `userId` owns. */
  private serversOwnedBy(userId: string): string[] {
    return [...this.servers.values()].filter((s) => s.ownerId === userId).map((s) => s.id);
  }

  /** Some group of the server uses tool pinning (WARN or ENFORCE). */
  private pinned(serverId: string): boolean {
    return this.groupsContaining(serverId).some((g) => g.toolPinning !== 'OFF');
  }

  private invalidate(slug: string): void {
    this.catalogs.delete(slug);
    for (const l of this.listeners) l.onGroupChanged(slug);
  }

  private async buildCatalog(group: ResolvedGroup, callerId?: string): Promise<GroupCatalog> {
    const members = group.serverIds.filter((id) => this.pool.has(id));
    const results = await Promise.all(
      members.map(async (id) => [id, await this.pool.catalog(id, callerId).catch((e: Error) => e)] as [string, ServerCatalog | Error]),
    );
    // Also here: a group that just turned pinning on pins (or checks) lists the pool read before.
    for (const [id, catalog] of results) if (!(catalog instanceof Error)) this.pins.observe(id, catalog.tools, this.pinned(id));
    return new GroupCatalog(group, this.servers, new Map(results), this.pins);
  }
}

/** What decides a group's catalog: everything but its shares (who may use it is checked per request, not cached). */
function catalogShape(group: ResolvedGroup | undefined): string {
  return JSON.stringify(group && { ...group, shares: undefined });
}
