import type { RuleActionType, RuleDecision } from './rule-definition.js';

/** What a dry run of the rules decided for one call, for people: see RoutingRulesService.explain(). */
export interface RouteExplanation {
  matched: boolean;
  rule: { id: string; name: string; priority: number } | null;
  action: {
    type: RuleActionType;
    /** ROUTE: the target; TIMEOUT: the namespace owner; FALLBACK: the first server tried. */
    serverId: string | null;
    serverSlug: string | null;
    replicaId: string | null;
    message: string | null;
    timeoutMs: number | null;
    fallbackServerIds: string[] | null;
  } | null;
  /** The member server that serves the tool name (by the group's naming, else by its `<slug>__` prefix), whatever the rules say. */
  defaultServerSlug: string | null;
  /** One sentence. */
  description: string;
}

export interface MemberServer {
  id: string;
  slug: string;
}

/** The member whose `<slug>__` is the longest prefix of the tool name: who namespace routing would call. */
export function namespaceOwner(toolName: string, members: readonly MemberServer[]): MemberServer | null {
  let owner: MemberServer | null = null;
  for (const member of members) {
    if (toolName.startsWith(`${member.slug}__`) && member.slug.length > (owner?.slug.length ?? -1)) owner = member;
  }
  return owner;
}

/** `owner`: the member serving the name in the group's naming (from discovered tools); by namespace when unknown. */
export function explainRoute(
  decision: RuleDecision,
  toolName: string,
  members: readonly MemberServer[],
  owner: MemberServer | null = namespaceOwner(toolName, members),
): RouteExplanation {
  const slugOf = (id: string) => members.find((m) => m.id === id)?.slug ?? null;
  const named = (id: string) => {
    const slug = slugOf(id);
    return slug ? `'${slug}'` : `${id} (no longer in the group)`;
  };
  const byNamespace = owner ? `server '${owner.slug}'` : null;
  const unowned = `no server of the group offers a tool named '${toolName}' (as of their last discovery) or owns its <server>__ prefix`;

  const { rule, action } = decision;
  if (!rule || !action) {
    return {
      matched: false,
      rule: null,
      action: null,
      defaultServerSlug: owner?.slug ?? null,
      description: byNamespace ? `No rule matched: routed by namespace to ${byNamespace}` : `No rule matched, and ${unowned}`,
    };
  }

  const subject = `Rule '${rule.name}' (priority ${rule.priority})`;
  const within = (timeoutMs: number | undefined) => (timeoutMs === undefined ? '' : `, with a ${timeoutMs} ms upstream timeout`);
  let serverId: string | null = null;
  let description: string;
  switch (action.type) {
    case 'DENY':
      description = `${subject} denies the call: ${action.message}`;
      break;
    case 'ROUTE': {
      serverId = action.serverId;
      const replica = action.replicaId ? ` (replica ${action.replicaId})` : '';
      const instead = owner && owner.id !== action.serverId ? ` instead of '${owner.slug}'` : '';
      description = `${subject} routes the call to server ${named(action.serverId)}${replica}${instead}${within(action.timeoutMs)}`;
      break;
    }
    case 'TIMEOUT':
      serverId = owner?.id ?? null;
      description = byNamespace
        ? `${subject} keeps namespace routing to ${byNamespace}${within(action.timeoutMs)}`
        : `${subject} sets a ${action.timeoutMs} ms upstream timeout, but ${unowned}`;
      break;
    case 'FALLBACK':
      serverId = action.serverIds[0] ?? null;
      description = `${subject} tries server ${action.serverIds.map(named).join(', then ')} in order, moving on only when one is unavailable${within(action.timeoutMs)}`;
      break;
  }
  return {
    matched: true,
    rule: { ...rule },
    action: {
      type: action.type,
      serverId,
      serverSlug: serverId ? slugOf(serverId) : null,
      replicaId: action.type === 'ROUTE' ? (action.replicaId ?? null) : null,
      message: action.type === 'DENY' ? action.message : null,
      timeoutMs: 'timeoutMs' in action ? (action.timeoutMs ?? null) : null,
      fallbackServerIds: action.type === 'FALLBACK' ? [...action.serverIds] : null,
    },
    defaultServerSlug: owner?.slug ?? null,
    description,
  };
}
