import { Public } from '#auth';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { DomainHttpExceptionFilter, badInput, notFound } from '#core';
import { CATALOG_PAGE, CatalogService } from '../catalog.service.js';
import type { CatalogEntry } from '../catalog-entry.entity.js';
import { toServerJson } from '../server-json/to-server-json.js';

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';

/** One server as the MCP Registry answers: the server.json and the registry's own metadata. */
function registryServer(entry: CatalogEntry) {
  return {
    server: toServerJson(entry),
    _meta: { [OFFICIAL_META]: { status: 'active', publishedAt: entry.createdAt.toISOString(), updatedAt: entry.updatedAt.toISOString(), isLatest: true } },
  };
}

/**
 * The catalog as an MCP Registry API (generic registry spec, v0.1), read-only and public like the official one, so
 * registry-aware clients can browse the hub. The catalog keeps one version per name, so it is always the latest.
 */
@Public()
@UseFilters(DomainHttpExceptionFilter)
@Controller('v0.1/servers')
export class RegistryApiController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  async list(@Query('cursor') cursor?: string, @Query('limit') limit?: string, @Query('search') search?: string) {
    const first = limit === undefined ? undefined : Number(limit);
    if (first !== undefined && !(/^\d{1,3}$/.test(limit!) && first >= 1 && first <= CATALOG_PAGE.max)) throw badInput('limit', `must be a whole number from 1 to ${CATALOG_PAGE.max}`);
    const page = await this.catalog.page({ search, first, after: cursor }, 'cursor');
    return {
      servers: page.nodes.map(registryServer),
      metadata: { count: page.nodes.length, ...(page.endCursor ? { nextCursor: page.endCursor } : {}) },
    };
  }

  @Get(':name/versions')
  async versions(@Param('name') name: string) {
    const entry = await this.entryNamed(name);
    return { servers: [registryServer(entry)], metadata: { count: 1 } };
  }

  @Get(':name/versions/:version')
  async version(@Param('name') name: string, @Param('version') version: string) {
    const entry = await this.entryNamed(name);
    if (version !== 'latest' && version !== entry.version) throw notFound('Server version', `${name}@${version}`);
    return registryServer(entry);
  }

  private async entryNamed(name: string): Promise<CatalogEntry> {
    const entry = await this.catalog.findByName(name);
    if (!entry) throw notFound('Server', name);
    return entry;
  }
}
