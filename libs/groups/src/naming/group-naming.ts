import { byName, nameItems, type NamedItem } from './name-items.js';
import { filterExposes, type ToolFilter } from './tool-filter.js';
import type { ToolNaming } from './tool-naming.js';

type Named = { name?: unknown };
type Located = { uri?: unknown; uriTemplate?: unknown };

/** One member server's catalog, in the group's member order. */
export interface MemberCatalog<T> {
  serverId: string;
  serverSlug: string;
  tools: readonly T[];
  prompts: readonly T[];
  resources: readonly T[];
  resourceTemplates: readonly T[];
}

export interface GroupTool<T> extends NamedItem<T> {
  /** Agents see it: the tool filter lets it through and no earlier member serves the same name. */
  exposed: boolean;
  /** The names routing rules and tool filters match: as agents see it, prefixed, and the server's own. */
  aliases: readonly string[];
}

export type CollisionKind = 'TOOL' | 'PROMPT' | 'RESOURCE';
/** PREFIXED: every server's item got a name of its own; FIRST_SERVES: the first in group order serves, the others are hidden. */
export type CollisionResolution = 'PREFIXED' | 'FIRST_SERVES';

export interface NamingCollision {
  kind: CollisionKind;
  /** The name or URI the servers share. */
  name: string;
  resolution: CollisionResolution;
  /** In group order: the name each one's item has for agents, and whether agents reach it. */
  servers: { serverId: string; serverSlug: string; name: string; serves: boolean }[];
}

export interface GroupNaming<T> {
  /** Every member's tools, exposed or not, in member order. */
  tools: GroupTool<T>[];
  /** The prompts agents see (one per name). */
  prompts: NamedItem<T>[];
  /** One per URI, and one per URI template: the first member in group order serves it. */
  resources: { serverId: string; item: T }[];
  resourceTemplates: { serverId: string; item: T }[];
  collisions: NamingCollision[];
}

/**
 * What a group's agents see, and the clashes behind it: the one naming code path of the gateway's catalog and the
 * admin API (Group.tools, Group.namingCollisions). Names never depend on the filter; who serves a repeated name does
 * (the first member whose tool the filter lets through), so a filter can pick the server for a shared name.
 */
export function nameGroup<T extends Named & Located>(naming: ToolNaming, filter: ToolFilter, members: readonly MemberCatalog<T>[]): GroupNaming<T> {
  const collisions: NamingCollision[] = [];
  const allowed = new Set(filter.tools);
  const tools = nameItems(naming, members.map((m) => ({ serverId: m.serverId, serverSlug: m.serverSlug, items: m.tools }))).map((named) => {
    const aliases = [...new Set([named.name, named.qualifiedName, named.ownName])];
    return { ...named, aliases, exposed: filterExposes(filter, allowed, aliases) };
  });
  serveFirst(tools, (tool) => tool.exposed, (tool) => (tool.exposed = false));
  collisions.push(...itemCollisions('TOOL', tools, (tool) => tool.exposed));

  const allPrompts = nameItems(naming, members.map((m) => ({ serverId: m.serverId, serverSlug: m.serverSlug, items: m.prompts })));
  const hidden = new Set<NamedItem<T>>();
  serveFirst(allPrompts, (prompt) => !hidden.has(prompt), (prompt) => hidden.add(prompt));
  collisions.push(...itemCollisions('PROMPT', allPrompts, (prompt) => !hidden.has(prompt)));

  const resources = firstByKey(members, (m) => m.resources, (item) => String(item.uri), collisions);
  const resourceTemplates = firstByKey(members, (m) => m.resourceTemplates, (item) => String(item.uriTemplate), collisions);
  return { tools, prompts: allPrompts.filter((p) => !hidden.has(p)), resources, resourceTemplates, collisions };
}

/** Of the visible holders of one name, the first keeps it; `hide` the rest. */
function serveFirst<N extends { name: string }>(items: N[], visible: (item: N) => boolean, hide: (item: N) => void): void {
  for (const holders of byName(items).values()) {
    const shown = holders.filter(visible);
    for (const item of shown.slice(1)) hide(item);
  }
}

/**
 * A final name two items hold is FIRST_SERVES; an own name two servers share whose items all got names of their
 * own is PREFIXED. One entry per clash, in order of first appearance.
 */
function itemCollisions<N extends NamedItem<unknown>>(kind: CollisionKind, items: N[], serves: (item: N) => boolean): NamingCollision[] {
  const entry = (name: string, resolution: CollisionResolution, holders: N[]): NamingCollision => ({
    kind,
    name,
    resolution,
    servers: holders.map((h) => ({ serverId: h.serverId, serverSlug: h.serverSlug, name: h.name, serves: serves(h) })),
  });
  const result: NamingCollision[] = [];
  const clashing = new Set<N>();
  for (const [name, holders] of byName(items)) {
    if (holders.length < 2) continue;
    holders.forEach((h) => clashing.add(h));
    result.push(entry(name, 'FIRST_SERVES', holders));
  }
  const byOwnName = byName(items.map((item) => ({ name: item.ownName, item })));
  for (const [ownName, holders] of byOwnName) {
    if (holders.length < 2 || holders.some((h) => clashing.has(h.item))) continue;
    result.push(entry(ownName, 'PREFIXED', holders.map((h) => h.item)));
  }
  return result;
}

/** Resources keep their URIs: the first member in group order serves a URI (or template) two would share. */
function firstByKey<T>(
  members: readonly MemberCatalog<T>[],
  list: (member: MemberCatalog<T>) => readonly T[],
  key: (item: T) => string,
  collisions: NamingCollision[],
): { serverId: string; item: T }[] {
  const served = new Map<string, { serverId: string; item: T }>();
  const holders = new Map<string, { serverId: string; serverSlug: string }[]>();
  for (const member of members) {
    for (const item of list(member)) {
      const k = key(item);
      const seen = holders.get(k) ?? [];
      if (seen.some((h) => h.serverId === member.serverId)) continue;
      seen.push({ serverId: member.serverId, serverSlug: member.serverSlug });
      holders.set(k, seen);
      if (!served.has(k)) served.set(k, { serverId: member.serverId, item });
    }
  }
  for (const [k, list] of holders) {
    if (list.length < 2) continue;
    collisions.push({ kind: 'RESOURCE', name: k, resolution: 'FIRST_SERVES', servers: list.map((h, i) => ({ ...h, name: k, serves: i === 0 })) });
  }
  return [...served.values()];
}
