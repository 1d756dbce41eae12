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
import { compareVersions } from './versions/version-order.js';

export const CATALOG_PAGE = { default: 30, max: 100 } as const;

/** A version as a lookup names it: `latest`, or one exact version as server.json gives it. */
export const versionLookupSchema = z.string().max(100, 'must be at most 100 characters').regex(/^[^\s/]+$/, 'must be a version without spaces or slashes, e.g. 1.2.0, or latest');

const pageSchema = z.object({
  search: z.string().max(200, 'must be at most 200 characters').nullish(),
  tag: z.string().max(40, 'must be at most 40 characters').nullish(),
  transport: z.enum(CatalogTransport).nullish(),
  first: z.number().int().min(1, 'must be at least 1').max(CATALOG_PAGE.max, `must be at most ${CATALOG_PAGE.max}`).nullish(),
  after: z.string().nullish(),
  version: versionLookupSchema.nullish(),
  updatedSince: z.date().nullish(),
});

export type CatalogPageRequest = z.input<typeof pageSchema>;

export interface CatalogPage {
  nodes: CatalogEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ImportedVersion {
  entry: CatalogEntry;
  /** A version the catalog did not have (else its details were replaced). */
  created: boolean;
}

/** The marketplace catalog: everyone signed in browses it; admins import and delete (the resolver's policy). */
@Injectable()
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * One row per name, its latest version (or, with `version`, the names that have that exact version). `field`
   * prefixes error fields: `after` for GraphQL, `cursor` for the Registry API.
   */
  async page(request: CatalogPageRequest, cursorField = 'after'): Promise<CatalogPage> {
    const q = validate(pageSchema, request);
    const searching = !!q.search?.trim();
    const after = q.after ? decodeCatalogCursor(q.after, cursorField, searching) : null;
    const version = q.version === 'latest' ? null : q.version;
    const { rows, hasMore } = await this.repository.page({
      search: q.search,
      tag: q.tag,
      transport: q.transport,
      limit: q.first ?? CATALOG_PAGE.default,
      after,
      version,
      updatedSince: q.updatedSince,
    });
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

  findLatest(name: string): Promise<CatalogEntry | null> {
    return this.repository.findLatest(name);
  }

  /** `version` of `name` (`latest` for the latest); a version it does not have is refused naming the ones it has. */
  async version(name: string, version: string, field: string): Promise<CatalogEntry> {
    const wanted = validate(versionLookupSchema, version, field);
    const entry = wanted === 'latest' ? await this.repository.findLatest(name) : await this.repository.findVersion(name, wanted);
    if (entry) return entry;
    const versions = (await this.versionsOf([name])).get(name) ?? [];
    if (!versions.length) throw notFound('CatalogEntry', name);
    throw badInput(field, `"${wanted}" is not a version of ${name} (it has ${versions.map((v) => v.version).join(', ')})`);
  }

  /** Every version of each name, newest publication first. */
  versionsOf(names: readonly string[]): Promise<Map<string, CatalogEntry[]>> {
    return this.repository.versionsOf(names);
  }

  /** Adds the version a `server.json` describes (see importVersion). A bad file changes nothing. */
  async importServerJson(text: string): Promise<CatalogEntry> {
    return (await this.importVersion(fromServerJson(text))).entry;
  }

  /**
   * Keeps `data` as a version of its name: a new version is added, a known one has its details replaced. Which
   * version is the latest: `latest` when a registry says (true promotes this one; false leaves the current one), else
   * the later by version order (version-order.ts). A name never lacks a latest version: its first is it.
   */
  async importVersion(data: CatalogEntryData, latest?: boolean): Promise<ImportedVersion> {
    return this.dataSource.transaction(async (manager) => {
      // One import per name at a time: two could otherwise both mark themselves latest, or both insert a version.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`catalog_entries:${data.name}`]);
      const entries = manager.getRepository(CatalogEntry);
      const versions = await entries.findBy({ name: data.name });
      const existing = versions.find((v) => v.version === data.version) ?? null;
      const current = versions.find((v) => v.isLatest) ?? null;
      const isLatest =
        !current ||
        current === existing ||
        (latest ?? compareVersions({ version: data.version, publishedAt: existing?.createdAt ?? new Date() }, { version: current.version, publishedAt: current.createdAt }) > 0);
      // Demoted first: the partial unique index allows one latest row per name at every moment.
      if (isLatest && current && current !== existing) await entries.update({ id: current.id }, { isLatest: false });
      const entry = await entries.save(Object.assign(existing ?? entries.create(), data satisfies CatalogEntryData, { isLatest }));
      return { entry, created: !existing };
    });
  }

  /**
   * Removes the entry, every version of its name; or, given `version`, that version only (the highest remaining
   * becomes the latest when it was the latest; its last version takes the entry with it).
   */
  async remove(id: string, version?: string | null): Promise<boolean> {
    const entry = await this.get(id);
    const target = version == null ? null : await this.version(entry.name, version, 'version');
    await this.dataSource.transaction(async (manager) => {
      const entries = manager.getRepository(CatalogEntry);
      if (!target) return entries.delete({ name: entry.name });
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`catalog_entries:${entry.name}`]);
      const versions = await entries.findBy({ name: entry.name });
      const gone = versions.find((v) => v.id === target.id);
      if (!gone) throw notFound('CatalogEntry', `${entry.name}@${target.version}`);
      await entries.delete({ id: gone.id });
      const rest = versions.filter((v) => v !== gone);
      if (gone.isLatest && rest.length) {
        const next = rest.reduce((a, b) => (compareVersions({ version: b.version, publishedAt: b.createdAt }, { version: a.version, publishedAt: a.createdAt }) > 0 ? b : a));
        await entries.update({ id: next.id }, { isLatest: true });
      }
    });
    return true;
  }
}
