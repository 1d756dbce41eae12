import type { AuditChange } from '../audit-entry.entity.js';

export interface AuditTarget {
  type: string | null;
  id: string | null;
}

const ID_ARG = /^[a-z][A-Za-z]*Id$/;
const MAX_ID_CHARS = 200;

/**
 * What an operation acted on, from conventions every mutation follows: its `id` argument (typed by the row of that
 * id it changed, the noun of its name first when two rows share the id (a server and its primary endpoint), else by
 * that noun: `removeServer` → Server), else its first `…Id` argument (`groupId` → Group), else the first row it
 * created. A refused operation changed nothing and is named the same way.
 */
export function auditTarget(action: string, args: Readonly<Record<string, unknown>>, changes: readonly AuditChange[]): AuditTarget {
  const typeOf = (id: string, fallback: string) =>
    (changes.some((c) => c.id === id && c.entity === fallback) ? fallback : changes.find((c) => c.id === id)?.entity) ?? (fallback || null);
  if (typeof args.id === 'string') return { type: typeOf(args.id, nounOf(action)), id: bounded(args.id) };
  const idArg = Object.keys(args).find((k) => ID_ARG.test(k) && typeof args[k] === 'string');
  if (idArg) {
    const id = args[idArg] as string;
    return { type: typeOf(id, idArg[0].toUpperCase() + idArg.slice(1, -2)), id: bounded(id) };
  }
  const created = changes.find((c) => c.op === 'INSERT') ?? changes[0];
  if (created) return { type: created.entity, id: created.id };
  return { type: nounOf(action) || null, id: null };
}

/** `updateServerReplica` → `ServerReplica`. */
export function nounOf(action: string): string {
  return action.replace(/^[a-z]+/, '');
}

const bounded = (id: string) => id.slice(0, MAX_ID_CHARS);
