import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, ErrorCode, badInput, readBoundedText, validate } from '#core';
import type { Actor } from '#auth';
import { EgressGuard, egressModeFor } from '#servers';
import { CatalogService } from '../catalog.service.js';
import { fromServerJson } from '../server-json/from-server-json.js';

export enum RegistryImportOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  SKIPPED = 'SKIPPED',
}

export interface RegistryImportItem {
  name: string;
  version: string | null;
  outcome: RegistryImportOutcome;
  /** Why it was skipped (the validation error, or the registry marking it deleted or deprecated). */
  reason: string | null;
}

export interface RegistryImportResult {
  pages: number;
  created: number;
  updated: number;
  skipped: number;
  items: RegistryImportItem[];
}

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
/** Bounds on what one import reads: 100 pages of 100 servers, 5 MB per page, 20 s per request. */
export const REGISTRY_IMPORT_LIMITS = { pages: 100, pageSize: 100, pageBytes: 5 * 1024 * 1024, requestMs: 20_000 } as const;

const urlSchema = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, e.g. https://registry.modelcontextprotocol.io');

const pageSchema = z.object({
  servers: z.array(z.object({ server: z.unknown(), _meta: z.record(z.string(), z.unknown()).optional() })).max(1000),
  metadata: z.object({ nextCursor: z.string().max(2000).nullish() }).optional(),
});

/**
 * Imports every server of an MCP Registry (generic registry API v0.1: `GET /v0.1/servers`, following
 * `metadata.nextCursor`) through the same validation as one server.json, keeping every version it lists (its
 * `isLatest` marks the latest). One bad server is skipped with its reason;
 * an unreachable or non-registry URL fails the whole import before anything is written. Egress rules apply.
 */
@Injectable()
export class ImportFromRegistry {
  constructor(
    private readonly catalog: CatalogService,
    private readonly egress: EgressGuard,
  ) {}

  async run(viewer: Actor, rawUrl: string): Promise<RegistryImportResult> {
    const url = validate(urlSchema, rawUrl, 'url');
    const mode = egressModeFor(viewer.role);
    const refusal = this.egress.urlRefusal(url, mode);
    if (refusal) throw badInput('url', `is not reachable under the hub's egress policy (${refusal})`);
    const fetch = this.egress.fetchFor(mode);
    const endpoint = serversEndpoint(url);
    const pages: z.infer<typeof pageSchema>[] = [];
    // Every page is read before anything is written: a registry that breaks off mid-way imports nothing.
    let cursor: string | null = null;
    do {
      if (pages.length >= REGISTRY_IMPORT_LIMITS.pages) throw badInput('url', `has more than ${REGISTRY_IMPORT_LIMITS.pages} pages of servers; import a narrower registry`);
      const page = await this.page(fetch, endpoint, cursor);
      pages.push(page);
      const next = page.metadata?.nextCursor ?? null;
      if (next && next === cursor) throw badInput('url', 'returned the same cursor twice (not a working registry)');
      cursor = next;
    } while (cursor);

    const result: RegistryImportResult = { pages: pages.length, created: 0, updated: 0, skipped: 0, items: [] };
    for (const { server, _meta } of pages.flatMap((p) => p.servers)) {
      const item = await this.importOne(server, _meta?.[OFFICIAL_META]);
      result[item.outcome === RegistryImportOutcome.CREATED ? 'created' : item.outcome === RegistryImportOutcome.UPDATED ? 'updated' : 'skipped']++;
      result.items.push(item);
    }
    return result;
  }

  private async importOne(server: unknown, official: unknown): Promise<RegistryImportItem> {
    const named = (server ?? {}) as { name?: unknown; version?: unknown };
    const name = typeof named.name === 'string' ? named.name.slice(0, 200) : '(no name)';
    const version = typeof named.version === 'string' ? named.version.slice(0, 100) : null;
    const meta = (official ?? {}) as { isLatest?: unknown; status?: unknown };
    if (typeof meta.status === 'string' && meta.status !== 'active') return { name, version, outcome: RegistryImportOutcome.SKIPPED, reason: `marked ${meta.status} in the registry` };
    try {
      // Every version is kept; the registry's isLatest says which one is the latest (without it, version order does).
      const latest = typeof meta.isLatest === 'boolean' ? meta.isLatest : undefined;
      const { created } = await this.catalog.importVersion(fromServerJson(JSON.stringify(server)), latest);
      return { name, version, outcome: created ? RegistryImportOutcome.CREATED : RegistryImportOutcome.UPDATED, reason: null };
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.BAD_INPUT) return { name, version, outcome: RegistryImportOutcome.SKIPPED, reason: error.message };
      throw error;
    }
  }

  private async page(fetch: ReturnType<EgressGuard['fetchFor']>, endpoint: URL, cursor: string | null): Promise<z.infer<typeof pageSchema>> {
    const url = new URL(endpoint);
    url.searchParams.set('limit', String(REGISTRY_IMPORT_LIMITS.pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    let text: string;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(REGISTRY_IMPORT_LIMITS.requestMs) });
      if (!res.ok) throw badInput('url', `answered ${res.status} ${res.statusText} for ${url.pathname} (is it an MCP Registry?)`);
      text = await boundedText(res, REGISTRY_IMPORT_LIMITS.pageBytes);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : (error as Error).message;
      throw badInput('url', `could not be reached: ${cause}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw badInput('url', `did not answer JSON at ${url.pathname} (is it an MCP Registry?)`);
    }
    return validate(pageSchema, json, 'url (registry answer)');
  }
}

/** The registry's base URL, or its /v0.1/servers itself. */
function serversEndpoint(raw: string): URL {
  const url = new URL(raw);
  url.search = '';
  url.hash = '';
  if (!/\/v0(\.1)?\/servers\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v0.1/servers`;
  return url;
}

function boundedText(res: Response, limit: number): Promise<string> {
  return readBoundedText(res, limit, () => badInput('url', `answered a page larger than ${limit / 1024 / 1024} MB`));
}
