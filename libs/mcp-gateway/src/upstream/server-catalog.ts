import { cacheHintOf, type CacheHint } from '../protocol/cache-hints.js';
import type { UpstreamConnection } from './upstream-connection.js';

export type CatalogKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';
export type CatalogItem = Record<string, unknown> & { name?: string; uri?: string; uriTemplate?: string };
/** A server's lists, and the caching hints it gave on them (2026-07-28 servers only). */
export type ServerCatalog = Record<CatalogKind, CatalogItem[]> & { cacheHints?: Partial<Record<CatalogKind, CacheHint>> };

const LISTS: Record<CatalogKind, { method: string; capability: string; field: string }> = {
  tools: { method: 'tools/list', capability: 'tools', field: 'tools' },
  resources: { method: 'resources/list', capability: 'resources', field: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', capability: 'resources', field: 'resourceTemplates' },
  prompts: { method: 'prompts/list', capability: 'prompts', field: 'prompts' },
};

export const KIND_OF_LIST_CHANGED: Record<string, CatalogKind[]> = {
  'notifications/tools/list_changed': ['tools'],
  'notifications/resources/list_changed': ['resources', 'resourceTemplates'],
  'notifications/prompts/list_changed': ['prompts'],
};

const MAX_PAGES = 100;

interface FetchedList {
  items: CatalogItem[];
  /** The merged hints of its pages; undefined when a page came without them. */
  cacheHint?: CacheHint;
}

/** Reads one list from the upstream, following its cursors; empty when the server lacks the capability. */
export async function fetchList(connection: UpstreamConnection, kind: CatalogKind, timeoutMs: number): Promise<FetchedList> {
  const spec = LISTS[kind];
  if (!connection.capabilities[spec.capability]) return { items: [] };
  const items: CatalogItem[] = [];
  let cacheHint: CacheHint | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await connection.request(spec.method, cursor ? { cursor } : {}, timeoutMs);
    items.push(...((result[spec.field] as CatalogItem[]) ?? []));
    const hint = cacheHintOf(result);
    cacheHint = page === 0 ? hint : hint && cacheHint && { ttlMs: Math.min(hint.ttlMs, cacheHint.ttlMs), cacheScope: hint.cacheScope === 'public' && cacheHint.cacheScope === 'public' ? 'public' : 'private' };
    cursor = typeof result.nextCursor === 'string' && result.nextCursor ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return { items, cacheHint };
}

export async function fetchCatalog(connection: UpstreamConnection, timeoutMs: number): Promise<ServerCatalog> {
  const kinds = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;
  const lists = await Promise.all(
    // A server that advertises a capability but fails one list still serves the others.
    kinds.map((kind) => fetchList(connection, kind, timeoutMs).catch((): FetchedList => ({ items: [] }))),
  );
  const [tools, resources, resourceTemplates, prompts] = lists.map((l) => l.items);
  const cacheHints: Partial<Record<CatalogKind, CacheHint>> = {};
  kinds.forEach((kind, i) => {
    if (lists[i].cacheHint) cacheHints[kind] = lists[i].cacheHint;
  });
  return { tools, resources, resourceTemplates, prompts, cacheHints };
}
