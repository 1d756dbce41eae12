import type { UpstreamConnection } from './upstream-connection.js';

export type CatalogKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';
export type CatalogItem = Record<string, unknown> & { name?: string; uri?: string; uriTemplate?: string };
export type ServerCatalog = Record<CatalogKind, CatalogItem[]>;

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

/** Reads one list from the upstream, following its cursors; empty when the server lacks the capability. */
export async function fetchList(connection: UpstreamConnection, kind: CatalogKind, timeoutMs: number): Promise<CatalogItem[]> {
  const spec = LISTS[kind];
  if (!connection.capabilities[spec.capability]) return [];
  const items: CatalogItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await connection.request(spec.method, cursor ? { cursor } : {}, timeoutMs);
    items.push(...((result[spec.field] as CatalogItem[]) ?? []));
    cursor = typeof result.nextCursor === 'string' && result.nextCursor ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}

export async function fetchCatalog(connection: UpstreamConnection, timeoutMs: number): Promise<ServerCatalog> {
  const [tools, resources, resourceTemplates, prompts] = await Promise.all(
    (['tools', 'resources', 'resourceTemplates', 'prompts'] as const).map((kind) =>
      // A server that advertises a capability but fails one list still serves the others.
      fetchList(connection, kind, timeoutMs).catch(() => [] as CatalogItem[]),
    ),
  );
  return { tools, resources, resourceTemplates, prompts };
}
