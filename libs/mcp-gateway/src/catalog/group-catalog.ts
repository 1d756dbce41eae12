import { nameGroup, type MemberCatalog, type ResolvedGroup } from '#groups';
import type { ResolvedServer } from '#servers';
import { NO_CACHE, mergeCacheHints, type CacheHint } from '../protocol/cache-hints.js';
import { headerParamsOf, type HeaderParam } from '../protocol/param-headers.js';
import type { CatalogItem, CatalogKind, ServerCatalog } from '../upstream/server-catalog.js';
import type { ToolPinCheck } from '../pinning/tool-pin-view.js';
import { RpcCode, RpcError } from '../protocol/json-rpc.js';

export interface NamedRoute {
  serverId: string;
  /** The upstream's own name for the tool or prompt. */
  name: string;
  /** Every name routing rules match for it: as agents call it, `<server>__<name>`, the server's own. */
  aliases: readonly string[];
  /** The tool says it is idempotent or read-only, so failover may send it again (a hint from the server). */
  retrySafe: boolean;
  /** Arguments 2026-07-28 agents must mirror in Mcp-Param headers (tools only). */
  headerParams?: HeaderParam[];
}

const retrySafe = (item: CatalogItem) => {
  const hints = item.annotations as { idempotentHint?: boolean; readOnlyHint?: boolean } | undefined;
  return hints?.idempotentHint === true || hints?.readOnlyHint === true;
};

interface TemplateRoute {
  serverId: string;
  pattern: RegExp;
}

/** RFC 6570 template → anchored regex; every expression matches any run of characters. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/\{[^}]*\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/**
 * What one group's agents see: member servers' tools and prompts named by the group's naming mode, resources with
 * their own URIs (routed by exact URI, then by template), after the group's tool filter. Immutable once built.
 */
export class GroupCatalog {
  readonly tools: CatalogItem[] = [];
  readonly prompts: CatalogItem[] = [];
  readonly resources: CatalogItem[] = [];
  readonly resourceTemplates: CatalogItem[] = [];
  private readonly toolRoutes = new Map<string, NamedRoute>();
  private readonly promptRoutes = new Map<string, NamedRoute>();
  private readonly resourceRoutes = new Map<string, string>();
  private readonly templateRoutes: TemplateRoute[] = [];
  /** Servers whose lists could not be read when this was built (their items are missing). */
  readonly unavailable: string[] = [];
  /** 2026-07-28 caching hints of each merged list: never longer or wider than every member server allowed. */
  readonly cacheHints: Record<CatalogKind, CacheHint>;
  /** Tools withheld by tool pinning (ENFORCE): name agents would see → the server's slug. */
  private readonly withheldTools = new Map<string, string>();
  /** Set when the group enforces tool pinning. */
  private readonly enforcedPins?: ToolPinCheck;
  private readonly serverSlugs = new Map<string, string>();

  constructor(group: ResolvedGroup, servers: Map<string, ResolvedServer>, catalogs: Map<string, ServerCatalog | Error>, pins?: ToolPinCheck) {
    const members: MemberCatalog<CatalogItem>[] = [];
    const hints: ServerCatalog['cacheHints'][] = [];
    for (const serverId of group.serverIds) {
      const server = servers.get(serverId);
      const catalog = catalogs.get(serverId);
      if (!server) continue;
      if (!catalog || catalog instanceof Error) {
        this.unavailable.push(server.slug);
        continue;
      }
      const { tools, prompts, resources, resourceTemplates } = catalog;
      members.push({ serverId, serverSlug: server.slug, tools, prompts, resources, resourceTemplates });
      hints.push(catalog.cacheHints);
    }
    const merged = (kind: CatalogKind) => (this.unavailable.length ? NO_CACHE : mergeCacheHints(hints.map((h) => h?.[kind])));
    this.cacheHints = { tools: merged('tools'), resources: merged('resources'), resourceTemplates: merged('resourceTemplates'), prompts: merged('prompts') };
    // The same naming and filter as the admin API's Group.tools and Group.namingCollisions.
    const naming = nameGroup(group.toolNaming, group.toolFilter, members);
    for (const { name, aliases, serverId, item, exposed } of naming.tools) {
      if (!exposed) continue;
      const headerParams = headerParamsOf(item.inputSchema);
      this.toolRoutes.set(name, { serverId, name: String(item.name), aliases, retrySafe: retrySafe(item), ...(headerParams.length ? { headerParams } : {}) });
      this.tools.push({ ...item, name });
    }
    for (const { name, serverId, item } of naming.prompts) {
      this.promptRoutes.set(name, { serverId, name: String(item.name), aliases: [name], retrySafe: true });
      this.prompts.push({ ...item, name });
    }
    for (const { serverId, item } of naming.resources) {
      this.resourceRoutes.set(String(item.uri), serverId);
      this.resources.push(item);
    }
    for (const { serverId, item } of naming.resourceTemplates) {
      this.templateRoutes.push({ serverId, pattern: templatePattern(String(item.uriTemplate)) });
      this.resourceTemplates.push(item);
    }
    if (pins && group.toolPinning === 'ENFORCE') {
      this.enforcedPins = pins;
      for (const id of group.serverIds) this.serverSlugs.set(id, servers.get(id)?.slug ?? id);
      this.withholdDrifted(pins, servers);
    }
  }

  /**
   * A routing rule may send a call to another member's tool of the same name: that one is withheld too when its
   * definition changed since approved (ENFORCE). The error says why, for the server that offers it.
   */
  withholdsOn(serverId: string, toolName: string, agentName: string): RpcError | undefined {
    if (!this.enforcedPins?.drifted(serverId, toolName)) return undefined;
    return withheldError(agentName, this.serverSlugs.get(serverId) ?? serverId);
  }

  /** Tool pinning, a step of its own after naming and filtering: a changed, unapproved definition is not served. */
  private withholdDrifted(pins: ToolPinCheck, servers: Map<string, ResolvedServer>): void {
    for (const [name, route] of this.toolRoutes) {
      if (!pins.drifted(route.serverId, route.name)) continue;
      this.toolRoutes.delete(name);
      this.withheldTools.set(name, servers.get(route.serverId)?.slug ?? route.serverId);
    }
    if (!this.withheldTools.size) return;
    const kept = this.tools.filter((t) => !this.withheldTools.has(String(t.name)));
    this.tools.splice(0, this.tools.length, ...kept);
  }

  /** Why a tool agents may not call is not served, when tool pinning withholds it. */
  withheld(name: string): RpcError | undefined {
    const server = this.withheldTools.get(name);
    return server ? withheldError(name, server) : undefined;
  }

  tool(name: string): NamedRoute | undefined {
    return this.toolRoutes.get(name);
  }

  prompt(name: string): NamedRoute | undefined {
    return this.promptRoutes.get(name);
  }

  /** The server that owns a resource URI: listed URIs first, then the first matching template. */
  resourceServer(uri: string): string | undefined {
    return this.resourceRoutes.get(uri) ?? this.templateRoutes.find((t) => t.pattern.test(uri))?.serverId;
  }
}

function withheldError(name: string, server: string): RpcError {
  return new RpcError(
    RpcCode.FORBIDDEN,
    `Tool "${name}" is withheld by tool pinning: its definition on server "${server}" changed since it was approved; someone who may edit that server must approve the change (approveToolChange) before it can be called`,
    { server, reason: 'TOOL_DEFINITION_CHANGED' },
  );
}
