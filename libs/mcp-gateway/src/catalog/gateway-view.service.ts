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
  private reloadAgain = false;
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
      if (change.kind === 'server' || change.kind === 'group') return this.reload();
      if (change.kind === 'routing-rule') return this.reloadRules(change.id);
      if (change.kind === 'credential') return change.id === '*' ? this.pool.recycleAll() : this.pool.credentialChanged(change.detail as unknown as CredentialChange);
      if (change.kind === 'upstream-authorization') return this.authorizationChanged(change.detail as unknown as AuthorizationChange);
    });
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

  /** Serialised: a change arriving during a reload triggers one more pass, never two at once. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        try {
          await this.load();
        } catch (error) {
          this.logger.error({ err: (error as Error).message }, 'gateway view reload failed; keeping the previous view');
        }
      } while (this.reloadAgain);
    })().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async load(): Promise<void> {
    // One after another: in embedded mode the database serves one query at a time anyway.
    const groups = await this.groupsService.resolveAll();
    const servers = await this.serversService.resolveAll();
    const oauthServerIds = new Set(await this.tokens.enabledServerIds());
    // A rollback restores a group's rules too: rules are reloaded with groups.
    this.rules = await this.rulesService.compiledForAll();
    const previousGroups = this.groupsBySlug;
    const previousServers = this.servers;
    this.servers = new Map(servers.map((s) => [s.id, s]));
    this.groupsBySlug = new Map(groups.map((g) => [g.slug, g]));
    this.groupsById = new Map(groups.map((g) => [g.id, g]));
    this.pool.setServers(servers, oauthServerIds);
    const changedServers = new Set(
      [...previousServers.keys(), ...this.servers.keys()].filter(
        (id) => JSON.stringify(previousServers.get(id)) !== JSON.stringify(this.servers.get(id)),
      ),
    );
    for (const slug of new Set([...previousGroups.keys(), ...this.groupsBySlug.keys()])) {
      const before = previousGroups.get(slug);
      const after = this.groupsBySlug.get(slug);
      const serverChanged = (after ?? before)!.serverIds.some((id) => changedServers.has(id));
      if (serverChanged || catalogShape(before) !== catalogShape(after)) this.invalidate(slug);
    }
  }

  private async reloadRules(groupId: string): Promise<void> {
    // A reload under way may have read the rules before this change committed: let it finish first.
    await this.reloading;
    try {
      const compiled = await this.rulesService.compiledFor(groupId);
      if (compiled.size) this.rules.set(groupId, compiled);
      else this.rules.delete(groupId);
    } catch (error) {
      this.logger.error({ err: (error as Error).message, groupId }, 'routing rules reload failed; keeping the previous rules');
    }
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
