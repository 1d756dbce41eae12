/** Rule conditions and actions in words, for the rules table, the revision diff and screen readers. */

export interface ConditionsLike {
  tool?: { glob?: string | null; regex?: string | null } | null;
  arguments?: readonly { path: string; op: string; value?: unknown; pattern?: string | null; min?: number | null; max?: number | null }[] | null;
  keys?: { keyIds?: readonly string[] | null; tags?: readonly string[] | null } | null;
}

export interface ActionLike {
  type: string;
  serverId?: string | null;
  replicaId?: string | null;
  timeoutMs?: number | null;
  message?: string | null;
  serverIds?: readonly string[] | null;
}

export function describeConditions(c: ConditionsLike): string[] {
  const parts: string[] = [];
  if (c.tool?.glob) parts.push(`tool matches ${c.tool.glob}`);
  if (c.tool?.regex) parts.push(`tool matches /${c.tool.regex}/`);
  for (const a of c.arguments ?? []) {
    if (a.op === 'EQUALS') parts.push(`${a.path} = ${JSON.stringify(a.value)}`);
    else if (a.op === 'REGEX') parts.push(`${a.path} matches /${a.pattern}/`);
    else parts.push(`${a.path} in [${a.min ?? '−∞'}, ${a.max ?? '∞'}]`);
  }
  if (c.keys?.keyIds?.length) parts.push(`key is one of ${c.keys.keyIds.length} key${c.keys.keyIds.length === 1 ? '' : 's'}`);
  if (c.keys?.tags?.length) parts.push(`key tagged ${c.keys.tags.join(' or ')}`);
  return parts.length ? parts : ['every call'];
}

export function describeAction(a: ActionLike, serverNames: Map<string, string>): string {
  const server = (id: string | null | undefined) => (id ? (serverNames.get(id) ?? `server ${id}`) : 'no server');
  const timeout = a.timeoutMs != null ? ` (timeout ${a.timeoutMs} ms)` : '';
  switch (a.type) {
    case 'ROUTE':
      return `route to ${server(a.serverId)}${a.replicaId ? ` replica ${a.replicaId}` : ''}${timeout}`;
    case 'DENY':
      return `deny: “${a.message ?? ''}”`;
    case 'TIMEOUT':
      return `usual server, timeout ${a.timeoutMs} ms`;
    case 'FALLBACK':
      return `try ${(a.serverIds ?? []).map(server).join(', then ')}${timeout}`;
    default:
      return a.type;
  }
}
