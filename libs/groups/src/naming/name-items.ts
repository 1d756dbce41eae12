import { namespacedName, SAFE_NAME } from './namespacing.js';
import { ToolNaming } from './tool-naming.js';

/** One member server's items (tools or prompts), in the group's member order. */
export interface MemberItems<T> {
  serverId: string;
  serverSlug: string;
  items: readonly T[];
}

export interface NamedItem<T> {
  /** As agents see and call it (before deciding who serves a name two items share). */
  name: string;
  /** `<serverSlug>__<name>` (shortened when needed): the same in every mode. */
  qualifiedName: string;
  /** The server's own name. */
  ownName: string;
  serverId: string;
  serverSlug: string;
  item: T;
}

/**
 * Names every member's items for the mode, in member order. Depends only on the members' names (never on the tool
 * filter, which refers to these names), so the same inputs give the same names on every hub.
 * PREFIX_WHEN_NEEDED prefixes a name two servers share, and a name outside `^[A-Za-z0-9_-]{1,64}$` (shortened as
 * namespacedName does); it repeats until no bare name clashes with a prefixed one (`b__echo` of server a vs `echo`
 * of server b). Names may still repeat (NONE, or two members with one slug): the caller decides who serves them.
 * An item a server lists twice under one name counts once (the first).
 */
export function nameItems<T extends { name?: unknown }>(mode: ToolNaming, members: readonly MemberItems<T>[]): NamedItem<T>[] {
  const items: NamedItem<T>[] = [];
  const serversByOwnName = new Map<string, Set<string>>();
  for (const member of members) {
    const own = new Set<string>();
    for (const item of member.items) {
      const ownName = String(item.name);
      if (own.has(ownName)) continue;
      own.add(ownName);
      const qualifiedName = namespacedName(member.serverSlug, ownName);
      items.push({ name: ownName, qualifiedName, ownName, serverId: member.serverId, serverSlug: member.serverSlug, item });
      serversByOwnName.set(ownName, (serversByOwnName.get(ownName) ?? new Set()).add(member.serverId));
    }
  }
  if (mode === ToolNaming.NONE) return items;
  for (const named of items) {
    const prefix = mode === ToolNaming.PREFIX_ALWAYS || serversByOwnName.get(named.ownName)!.size > 1 || !SAFE_NAME.test(named.ownName);
    if (prefix) named.name = named.qualifiedName;
  }
  if (mode === ToolNaming.PREFIX_WHEN_NEEDED) prefixClashingBareNames(items);
  return items;
}

/** Each pass prefixes at least one more item, so it ends; prefixed names clash only when slugs do. */
function prefixClashingBareNames(items: NamedItem<unknown>[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const holders of byName(items).values()) {
      if (holders.length < 2) continue;
      for (const named of holders) {
        if (named.name !== named.qualifiedName) {
          named.name = named.qualifiedName;
          changed = true;
        }
      }
    }
  }
}

export function byName<N extends { name: string }>(items: readonly N[]): Map<string, N[]> {
  const map = new Map<string, N[]>();
  for (const item of items) {
    const list = map.get(item.name);
    if (list) list.push(item);
    else map.set(item.name, [item]);
  }
  return map;
}
