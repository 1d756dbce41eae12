import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CatalogEntry } from './catalog-entry.entity.js';
import type { CatalogPosition } from './catalog-cursor.js';
import type { CatalogTransport } from './catalog-types.js';

export interface CatalogQuery {
  /** Web-search syntax (`github -gitlab`, `"web search"`); blank lists everything by name. */
  search?: string | null;
  tag?: string | null;
  transport?: CatalogTransport | null;
  limit: number;
  after?: CatalogPosition | null;
  /** An exact version: the names that have it, latest or not. Absent: each name's latest version. */
  version?: string | null;
  /** Rows changed at or after this instant (the Registry API's `updated_since`). */
  updatedSince?: Date | null;
}

@Injectable()
export class CatalogRepository {
  constructor(@InjectRepository(CatalogEntry) private readonly entries: Repository<CatalogEntry>) {}

  /** One page and whether more follow: by rank then name when searching, by name otherwise. */
  async page(query: CatalogQuery): Promise<{ rows: { entry: CatalogEntry; rank: number | null }[]; hasMore: boolean }> {
    const qb = this.entries.createQueryBuilder('e');
    const search = query.search?.trim();
    if (query.version) qb.andWhere('e.version = :version', { version: query.version });
    else qb.andWhere('e.is_latest');
    if (query.updatedSince) qb.andWhere('e.updated_at >= :since', { since: query.updatedSince });
    if (query.tag) qb.andWhere('e.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
    if (query.transport) qb.andWhere('e.transport = :transport', { transport: query.transport });
    if (search) {
      // e.search_document: title and name weigh most, then tags and publisher, then the description (a trigger keeps it).
      const rank = `ts_rank(e.search_document, websearch_to_tsquery('english', :search))::float4`;
      qb.addSelect(rank, 'rank')
        .andWhere(`e.search_document @@ websearch_to_tsquery('english', :search)`, { search })
        .orderBy('rank', 'DESC')
        .addOrderBy('e.name', 'ASC');
      if (query.after) qb.andWhere(`(${rank} < :afterRank OR (${rank} = :afterRank AND e.name > :afterName))`, { afterRank: query.after.rank, afterName: query.after.name });
    } else {
      qb.orderBy('e.name', 'ASC');
      if (query.after) qb.andWhere('e.name > :afterName', { afterName: query.after.name });
    }
    qb.limit(query.limit + 1);
    const { entities, raw } = await qb.getRawAndEntities<{ rank?: number | string }>();
    const rows = entities.slice(0, query.limit).map((entry, i) => ({ entry, rank: search ? Number(raw[i].rank) : null }));
    return { rows, hasMore: entities.length > query.limit };
  }

  findById(id: string): Promise<CatalogEntry | null> {
    return this.entries.findOneBy({ id });
  }

  findLatest(name: string): Promise<CatalogEntry | null> {
    return this.entries.findOneBy({ name, isLatest: true });
  }

  findVersion(name: string, version: string): Promise<CatalogEntry | null> {
    return this.entries.findOneBy({ name, version });
  }

  /** Every version of each name, newest publication first (as the Registry API lists them). */
  async versionsOf(names: readonly string[]): Promise<Map<string, CatalogEntry[]>> {
    const out = new Map<string, CatalogEntry[]>(names.map((n) => [n, []]));
    if (!names.length) return out;
    const rows = await this.entries.createQueryBuilder('e').where('e.name IN (:...names)', { names }).orderBy('e.created_at', 'DESC').addOrderBy('e.version', 'DESC').getMany();
    for (const row of rows) out.get(row.name)!.push(row);
    return out;
  }
}
