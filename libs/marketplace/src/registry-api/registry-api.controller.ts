import { Public } from '#auth';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { DomainHttpExceptionFilter, badInput, notFound } from '#core';
import { CATALOG_PAGE, CatalogService } from '../catalog.service.js';
import type { CatalogEntry } from '../catalog-entry.entity.js';
import { toServerJson } from '../server-json/to-server-json.js';

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
/** RFC 3339 with a time zone, as `updated_since` is specified (Date.parse alone takes much more). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** One server version as the MCP Registry answers: the server.json and the registry's own metadata. */
function registryServer(entry: CatalogEntry) {
  return {
    server: toServerJson(entry),
    _meta: { [OFFICIAL_META]: { status: 'active', publishedAt: entry.createdAt.toISOString(), updatedAt: entry.updatedAt.toISOString(), isLatest: entry.isLatest } },
  };
}

/**
 * The catalog as an MCP Registry API (generic registry spec, v0.1), read-only and public like the official one, so
 * registry-aware clients can browse the hub. The list shows each name's latest version unless `version` names an
 * exact one; `/versions` lists them all.
 */
@Public()
@UseFilters(DomainHttpExceptionFilter)
@Controller('v0.1/servers')
export class RegistryApiController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  async list(
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
    @Query('search') search?: string,
    @Query('updated_since') updatedSince?: string,
    @Query('version') version?: string,
  ) {
    const first = limit === undefined ? undefined : Number(limit);
    if (first !== undefined && !(/^\d{1,3}$/.test(limit!) && first >= 1 && first <= CATALOG_PAGE.max)) throw badInput('limit', `must be a whole number from 1 to ${CATALOG_PAGE.max}`);
    const since = updatedSince === undefined ? undefined : new Date(updatedSince);
    if (since && !(RFC3339.test(updatedSince!) && Number.isFinite(since.getTime()))) throw badInput('updated_since', 'must be an RFC 3339 date-time, e.g. 2025-08-07T13:15:04.280Z');
    const page = await this.catalog.page({ search, first, after: cursor, version, updatedSince: since }, 'cursor');
    return {
      servers: page.nodes.map(registryServer),
      metadata: { count: page.nodes.length, ...(page.endCursor ? { nextCursor: page.endCursor } : {}) },
    };
  }

  /** Every version, newest publication first (the spec's order). */
  @Get(':name/versions')
  async versions(@Param('name') name: string) {
    const versions = (await this.catalog.versionsOf([name])).get(name) ?? [];
    if (!versions.length) throw notFound('Server', name);
    return { servers: versions.map(registryServer), metadata: { count: versions.length } };
  }

  @Get(':name/versions/:version')
  async version(@Param('name') name: string, @Param('version') version: string) {
    const entry = version === 'latest' ? await this.catalog.findLatest(name) : await this.exact(name, version);
    if (!entry) throw notFound('Server', name);
    return registryServer(entry);
  }

  private async exact(name: string, version: string): Promise<CatalogEntry | null> {
    const versions = (await this.catalog.versionsOf([name])).get(name) ?? [];
    if (!versions.length) return null;
    const entry = versions.find((v) => v.version === version);
    if (!entry) throw notFound('Server version', `${name}@${version} (it has ${versions.map((v) => v.version).join(', ')})`);
    return entry;
  }
}
