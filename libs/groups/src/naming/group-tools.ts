import { namespacedName } from './namespacing.js';

export interface ToolFilter {
  mode: 'NONE' | 'ALLOW' | 'DENY';
  /** Names as agents see them (`<serverSlug>__<tool>`). */
  tools: readonly string[];
}

/** One member server's tools, in the group's member order. */
export interface MemberTools<T> {
  serverId: string;
  serverSlug: string;
  tools: readonly T[];
}

export interface GroupTool<T> {
  /** As agents see and call it. */
  name: string;
  serverId: string;
  serverSlug: string;
  /** The upstream's own definition (its own name). */
  tool: T;
  /** The group's tool filter lets agents see it. */
  exposed: boolean;
}

/**
 * A group's tools as agents see them: each member's under `<slug>__<name>`, in member order (the first member
 * owns a name two would share), each marked with what the tool filter says. The gateway's catalog lists the exposed
 * ones; the admin API shows them all, so what the dashboard offers to filter is what agents are offered.
 */
export function groupTools<T extends { name?: unknown }>(filter: ToolFilter, members: readonly MemberTools<T>[]): GroupTool<T>[] {
  const allowed = new Set(filter.tools);
  const seen = new Set<string>();
  const result: GroupTool<T>[] = [];
  for (const member of members) {
    for (const tool of member.tools) {
      const name = namespacedName(member.serverSlug, String(tool.name));
      if (seen.has(name)) continue;
      seen.add(name);
      const exposed = filter.mode === 'NONE' || (filter.mode === 'ALLOW' ? allowed.has(name) : !allowed.has(name));
      result.push({ name, serverId: member.serverId, serverSlug: member.serverSlug, tool, exposed });
    }
  }
  return result;
}
