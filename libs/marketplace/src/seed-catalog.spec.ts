import { describe, expect, it } from '@jest/globals';
import { SEED_CATALOG } from '#core';
import { CatalogTransport, publisherOf, type CatalogEntryData, type CatalogVariableKind } from './catalog-types.js';
import { fromServerJson } from './server-json/from-server-json.js';
import { toServerJson } from './server-json/to-server-json.js';

describe('the seeded catalog', () => {
  const entries: CatalogEntryData[] = SEED_CATALOG.map((e) => ({
    ...e,
    publisher: publisherOf(e.name),
    transport: e.transport as CatalogTransport,
    variables: e.variables.map((v) => ({ ...v, kind: v.kind as CatalogVariableKind })),
  }));

  it('should hold at least 20 servers with distinct names', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  });

  it('should be valid MCP Registry entries: each survives the server.json round trip unchanged', () => {
    for (const entry of entries) expect(fromServerJson(JSON.stringify(toServerJson(entry)))).toEqual(entry);
  });

  it('should run STDIO servers from a pinned npm version and give remotes a URL', () => {
    for (const e of entries) {
      if (e.transport === CatalogTransport.STDIO) expect(e).toMatchObject({ npmPackage: expect.stringMatching(/^(@[a-z0-9-]+\/)?[a-z0-9.-]+$/), version: expect.stringMatching(/^\d+\.\d+\.\d+$/), url: null });
      else expect(e).toMatchObject({ npmPackage: null, url: expect.stringMatching(/^https:\/\//) });
    }
  });
});
