import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { badInput, notFound, validate } from '#core';
import { CatalogEntry } from './catalog-entry.entity.js';
import { decodeCatalogCursor, encodeCatalogCursor } from './catalog-cursor.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogTransport, type CatalogEntryData } from './catalog-types.js';
import { fromServerJson } from './server-json/from-server-json.js';

export const CATALOG_PAGE = { default: 30, max: 100 } as const;

const pageSchema = z.object({
  search: z.string().max(200, 'must be at most 200 characters').nullish(),
  tag: z.string().max(40, 'must be at most 40 characters').nullish(),
  transport: z.enum(CatalogTransport).nullish(),
  first: z.number().int().min(1, 'must be at least 1').max(CATALOG_PAGE.max, `must be at most ${CATALOG_PAGE.max}`).nullish(),
  after: z.string().nullish(),
});

export type CatalogPageRequest = z.input<typeof pageSchema>;

export interface CatalogPage {
  nodes: CatalogEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The marketplace catalog: everyone signed in browses it; admins import and delete (the resolver's policy). */
@Injectable()
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `field` prefixes error fields: `after` for GraphQL, `cursor` for the Registry API. */
  async page(request: CatalogPageRequest, cursorField = 'after'): Promise<CatalogPage> {
    const q = validate(pageSchema, request);
    const searching = !!q.search?.trim();
    const after = q.after ? decodeCatalogCursor(q.after, cursorField, searching) : null;
    const { rows, hasMore } = await this.repository.page({ search: q.search, tag: q.tag, transport: q.transport, limit: q.first ?? CATALOG_PAGE.default, after });
    const last = rows.at(-1);
    return {
      nodes: rows.map((r) => r.entry),
      endCursor: hasMore && last ? encodeCatalogCursor({ rank: last.rank, name: last.entry.name }) : null,
      hasNextPage: hasMore,
    };
  }

  async get(id: string, field = 'id'): Promise<CatalogEntry> {
    if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
    const entry = await this.repository.findById(id);
    if (!entry) throw notFound('CatalogEntry', id);
    return entry;
  }

  findByName(name: string): Promise<CatalogEntry | null> {
    return this.repository.findByName(name);
  }

  /**
   * Adds the server a `server.json` describes, or replaces the entry of that name (a new version, or corrected
   * details). Validation happens before any write: a bad file changes nothing.
   */
  async importServerJson(text: string): Promise<CatalogEntry> {
    const data = fromServerJson(text);
    return this.dataSource.transaction(async (manager) => {
      const entries = manager.getRepository(CatalogEntry);
      // Locked so two imports of one name cannot both insert.
      const existing = await entries.createQueryBuilder('e').setLock('pessimistic_write').where('e.name = :name', { name: data.name }).getOne();
      return entries.save(Object.assign(existing ?? entries.create(), data satisfies CatalogEntryData));
    });
  }

  async remove(id: string): Promise<boolean> {
    const entry = await this.get(id);
    await this.dataSource.transaction((manager) => manager.getRepository(CatalogEntry).remove(entry));
    return true;
  }
}
