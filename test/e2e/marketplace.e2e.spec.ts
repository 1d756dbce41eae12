import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SEED_CATALOG, seedCatalog } from '#core';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const FIELDS = 'id name title publisher version isLatest transport npmPackage args url command tags repositoryUrl docsUrl variables { kind name description required secret example }';
const PAGE = `query($s: String, $t: String, $tr: CatalogTransport, $f: Int, $a: String){
  catalogEntries(search: $s, tag: $t, transport: $tr, first: $f, after: $a){ nodes { ${FIELDS} } endCursor hasNextPage } }`;
const IMPORT = `mutation($j: String!){ importCatalogEntry(serverJson: $j){ ${FIELDS} } }`;
const REMOVE = 'mutation($id: ID!){ removeCatalogEntry(id: $id) }';
const REMOVE_VERSION = 'mutation($id: ID!, $v: String){ removeCatalogEntry(id: $id, version: $v) }';

interface Entry {
  id: string;
  name: string;
  title: string;
  version: string;
  isLatest: boolean;
  transport: string;
  npmPackage: string | null;
  command: string[];
  tags: string[];
  variables: { kind: string; name: string; required: boolean; secret: boolean }[];
}
interface Page {
  nodes: Entry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const weather = (version: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: 'io.github.acme/weather',
    title: 'Acme Weather',
    description: 'Forecasts, storm alerts and historical climate data',
    version,
    packages: [
      {
        registryType: 'npm',
        identifier: '@acme/weather-mcp',
        version,
        transport: { type: 'stdio' },
        environmentVariables: [{ name: 'WEATHER_API_KEY', description: 'API key', isRequired: true, isSecret: true }],
      },
    ],
    _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { tags: ['weather'] } },
    ...extra,
  });

describe.each(databaseTargets.map((t) => [t.name, t] as const))('marketplace catalog on %s', (_name, target) => {
  let hub: RunningHub;
  let admin: GraphQLClient;
  let member: GraphQLClient;
  let db: DataSource;

  const page = async (variables: { s?: string; t?: string; tr?: string; f?: number; a?: string }, client = admin) =>
    (await client.data<{ catalogEntries: Page }>(PAGE, variables)).catalogEntries;
  const all = async (variables: { s?: string; t?: string; tr?: string }, size: number) => {
    const seen: Entry[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await page({ ...variables, f: size, a: after });
      seen.push(...p.nodes);
      if (!p.hasNextPage) return seen;
      after = p.endCursor!;
    }
  };
  const rows = async () => (await db.query('SELECT name, version, is_latest, title, description, updated_at FROM catalog_entries ORDER BY name, version')) as unknown[];
  const registry = (path: string) => fetch(`${hub.url}${path}`);

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login(ADMIN.email, ADMIN.password);
    await admin.data('mutation{ createUser(input:{email:"member@example.com", password:"member-password-1"}){ id } }');
    member = new GraphQLClient(hub.url);
    await member.login('member@example.com', 'member-password-1');
  });
  afterAll(() => hub?.close());

  it('should start with the seeded servers, each runnable with npx or reachable at its URL', async () => {
    const entries = await all({}, 100);
    expect(entries.map((e) => e.name)).toEqual(SEED_CATALOG.map((e) => e.name).sort());
    const everything = entries.find((e) => e.name === 'io.github.modelcontextprotocol/server-everything')!;
    expect(everything.command).toEqual(['npx', '-y', `@modelcontextprotocol/server-everything@${everything.version}`]);
    const postgres = entries.find((e) => e.name === 'io.github.modelcontextprotocol/server-postgres')!;
    expect(postgres.command).toEqual(['npx', '-y', '@modelcontextprotocol/server-postgres@0.6.2', '${POSTGRES_URL}']);
    expect(postgres.variables).toEqual([expect.objectContaining({ kind: 'ENV', name: 'POSTGRES_URL', required: true, secret: true })]);
    const github = entries.find((e) => e.name === 'io.github.github/github-mcp-server')!;
    expect(github).toMatchObject({ transport: 'STREAMABLE_HTTP', npmPackage: null, command: [] });
    expect(github.variables).toEqual([expect.objectContaining({ kind: 'HEADER', name: 'Authorization', secret: true })]);
  });

  it('should rank by relevance: the GitHub server first for "github", the browser servers for "browser automation"', async () => {
    const github = await page({ s: 'github' });
    expect(github.nodes[0].title).toBe('GitHub');
    // Reference servers are published under io.github.*: they match too, below the one about GitHub.
    expect(github.nodes.length).toBeGreaterThan(1);
    const browsers = await page({ s: 'browser automation' });
    expect(browsers.nodes.map((e) => e.title).sort()).toEqual(['Browserbase', 'Playwright', 'Puppeteer']);
    expect((await page({ s: 'web search -firecrawl' })).nodes.map((e) => e.title)).not.toContain('Firecrawl');
    expect((await page({ s: 'no such thing anywhere' })).nodes).toEqual([]);
  });

  it('should filter by tag and transport, alone and with a search', async () => {
    expect((await all({ t: 'database' }, 100)).map((e) => e.title)).toEqual(['PostgreSQL', 'Redis', 'Supabase']);
    const remotes = await all({ tr: 'STREAMABLE_HTTP' }, 100);
    expect(remotes.map((e) => e.title)).toEqual(['GitHub']);
    expect((await all({ tr: 'SSE' }, 100)).map((e) => e.title)).toEqual(['Cloudflare Docs']);
    expect((await page({ s: 'sql', t: 'cloud' })).nodes.map((e) => e.title)).toEqual(['Supabase']);
  });

  it('should page through listings and searches without losing or repeating an entry', async () => {
    const everything = await all({}, 100);
    expect(await all({}, 4)).toEqual(everything);
    const search = (await page({ s: 'search web', f: 100 })).nodes;
    expect(search.length).toBeGreaterThan(3);
    expect(await all({ s: 'search web' }, 2)).toEqual(search);
  });

  it('should refuse bad paging input, naming the field', async () => {
    const tooMany = await admin.request(PAGE, { f: 101 });
    expect(tooMany.errors?.[0].extensions?.field).toBe('first');
    const forged = await admin.request(PAGE, { a: 'bm90IGEgY3Vyc29y' });
    expect(forged.errors?.[0].extensions?.field).toBe('after');
    // A listing's cursor is not a search's.
    const listing = await page({ f: 2 });
    expect((await admin.request(PAGE, { s: 'github', a: listing.endCursor })).errors?.[0].extensions?.field).toBe('after');
  });

  it('should let members browse but not import or remove, and change nothing when they try', async () => {
    expect((await page({ s: 'memory' }, member)).nodes[0].title).toBe('Memory');
    const before = await rows();
    expect(errorCode(await member.request(IMPORT, { j: weather('1.0.0') }))).toBe('FORBIDDEN');
    const memory = (await page({ s: 'memory' })).nodes[0];
    expect(errorCode(await member.request(REMOVE, { id: memory.id }))).toBe('FORBIDDEN');
    expect(await rows()).toEqual(before);
  });

  it('should import server.json versions, keep each and list the latest once, audit both and remove every version', async () => {
    const first = (await admin.data<{ importCatalogEntry: Entry }>(IMPORT, { j: weather('1.0.0') })).importCatalogEntry;
    expect(first).toMatchObject({ name: 'io.github.acme/weather', title: 'Acme Weather', transport: 'STDIO', tags: ['weather'], command: ['npx', '-y', '@acme/weather-mcp@1.0.0'], isLatest: true });
    expect((await page({ s: 'storm' })).nodes.map((e) => e.id)).toEqual([first.id]);

    const second = (await admin.data<{ importCatalogEntry: Entry }>(IMPORT, { j: weather('1.1.0') })).importCatalogEntry;
    expect(second).toMatchObject({ version: '1.1.0', isLatest: true });
    expect(second.id).not.toBe(first.id);
    // One row per name in listings and searches: its latest.
    expect((await all({ t: 'weather' }, 10)).map((e) => e.version)).toEqual(['1.1.0']);
    expect((await page({ s: 'storm' })).nodes.map((e) => e.id)).toEqual([second.id]);
    const versions = await admin.data<{ catalogEntry: { versions: { id: string; version: string; isLatest: boolean }[] } }>(
      'query($id: ID!){ catalogEntry(id: $id){ versions { id version isLatest } } }',
      { id: first.id },
    );
    expect(versions.catalogEntry.versions).toEqual([
      { id: second.id, version: '1.1.0', isLatest: true },
      { id: first.id, version: '1.0.0', isLatest: false },
    ]);

    const audit = await db.query(`SELECT action, target_type, outcome FROM audit_log WHERE action IN ('importCatalogEntry', 'removeCatalogEntry') ORDER BY at, id`);
    expect(audit).toEqual([
      // The member's refused attempts (an earlier test).
      { action: 'importCatalogEntry', target_type: 'CatalogEntry', outcome: 'DENIED' },
      { action: 'removeCatalogEntry', target_type: 'CatalogEntry', outcome: 'DENIED' },
      { action: 'importCatalogEntry', target_type: 'CatalogEntry', outcome: 'SUCCESS' },
      { action: 'importCatalogEntry', target_type: 'CatalogEntry', outcome: 'SUCCESS' },
    ]);

    // Removing the entry (by any of its versions) removes every version.
    expect((await admin.data<{ removeCatalogEntry: boolean }>(REMOVE, { id: first.id })).removeCatalogEntry).toBe(true);
    expect((await page({ t: 'weather' })).nodes).toEqual([]);
    expect(await db.query(`SELECT version FROM catalog_entries WHERE name = 'io.github.acme/weather'`)).toEqual([]);
    expect(errorCode(await admin.request(REMOVE, { id: second.id }))).toBe('NOT_FOUND');
  });

  // Version bookkeeping does not depend on the database: one target (real PostgreSQL when available).
  const oneTarget = (name: string, fn: () => Promise<void>) => (target === databaseTargets.at(-1) ? it(name, fn) : undefined);

  oneTarget('should keep the highest version the latest in any import order, replace a known version and refuse ranges, naming them', async () => {
    const tides = (version: string, extra: Record<string, unknown> = {}) => weather(version, { name: 'io.github.acme/tides', title: 'Tides', description: 'Tide tables', ...extra });
    const imported: Entry[] = [];
    for (const version of ['2.0.0', '1.5.0', '2.0.0-rc.1', '10.0.0', '9.9.9']) imported.push((await admin.data<{ importCatalogEntry: Entry }>(IMPORT, { j: tides(version) })).importCatalogEntry);
    // 1.5.0 and the pre-release came after 2.0.0 but are lower; 10.0.0 beats 9.9.9 as a number, not as text.
    expect(imported.map((e) => [e.version, e.isLatest])).toEqual([['2.0.0', true], ['1.5.0', false], ['2.0.0-rc.1', false], ['10.0.0', true], ['9.9.9', false]]);
    const latest = async () => db.query(`SELECT version FROM catalog_entries WHERE name = 'io.github.acme/tides' AND is_latest`);
    expect(await latest()).toEqual([{ version: '10.0.0' }]);
    expect((await page({ s: 'tide tables' })).nodes.map((e) => e.version)).toEqual(['10.0.0']);

    // A version imported again has its details replaced, and stays where it was in the order.
    const again = (await admin.data<{ importCatalogEntry: Entry }>(IMPORT, { j: tides('1.5.0', { title: 'Tides (old)' }) })).importCatalogEntry;
    expect(again).toMatchObject({ id: imported[1].id, title: 'Tides (old)', isLatest: false });
    expect(await latest()).toEqual([{ version: '10.0.0' }]);

    const before = await rows();
    for (const [version, message] of [
      ['latest', 'serverJson.version: must be an exact version, not "latest"'],
      ['^10.0.0', 'serverJson.version: must be an exact version, not a range'],
      ['10.x', 'serverJson.version: must be an exact version, not a range'],
    ]) {
      const res = await admin.request(IMPORT, { j: tides(version) });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toContain(message);
    }
    expect(await rows()).toEqual(before);
  });

  oneTarget('should take concurrent imports of one name in turn (every version kept, the highest the only latest) and remove one version', async () => {
    const versions = ['1.0.0', '3.0.0', '2.0.0', '3.0.0-beta.1', '0.1.0', '2.5.0'];
    const results = await Promise.all(versions.map((v) => admin.request(IMPORT, { j: weather(v, { name: 'io.github.acme/currents', title: 'Currents' }) })));
    expect(results.map((r) => r.errors)).toEqual(versions.map(() => undefined));
    const stored = (await db.query(`SELECT version, is_latest FROM catalog_entries WHERE name = 'io.github.acme/currents' ORDER BY version`)) as { version: string; is_latest: boolean }[];
    expect(stored.map((r) => r.version)).toEqual([...versions].sort());
    expect(stored.filter((r) => r.is_latest).map((r) => r.version)).toEqual(['3.0.0']);

    // Removing one version: the highest left (a pre-release of 3.0.0 is above 2.5.0) becomes the latest.
    const latestId = (await page({ s: 'currents' })).nodes[0].id;
    const versionsLeft = async () => db.query(`SELECT version, is_latest FROM catalog_entries WHERE name = 'io.github.acme/currents' AND (is_latest OR version = '3.0.0') ORDER BY version`);
    expect(await admin.data(REMOVE_VERSION, { id: latestId, v: '3.0.0' })).toEqual({ removeCatalogEntry: true });
    expect(await versionsLeft()).toEqual([{ version: '3.0.0-beta.1', is_latest: true }]);
    const before = await rows();
    const wrong = await admin.request(REMOVE_VERSION, { id: (await page({ s: 'currents' })).nodes[0].id, v: '3.0.0' });
    // Named, with the versions there are (concurrent imports: their order is the commits').
    const [, has] = /^version: "3\.0\.0" is not a version of io\.github\.acme\/currents \(it has (.*)\)$/.exec(wrong.errors?.[0].message ?? '') ?? [];
    expect(has?.split(', ').sort()).toEqual(['0.1.0', '1.0.0', '2.0.0', '2.5.0', '3.0.0-beta.1']);
    expect(wrong.errors?.[0].extensions?.field).toBe('version');
    expect(await rows()).toEqual(before);
  });

  it("should seed idempotently: seeding again keeps an admin's edit and adds nothing", async () => {
    const memory = JSON.stringify({
      name: 'io.github.modelcontextprotocol/server-memory',
      title: 'Team memory',
      description: 'Our knowledge graph',
      version: '2026.8.31',
      packages: [{ registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', transport: { type: 'stdio' } }],
    });
    await admin.data(IMPORT, { j: memory });
    const before = await rows();
    await seedCatalog(db);
    expect(await rows()).toEqual(before);
    expect((await page({ s: 'knowledge graph' })).nodes.map((e) => e.title)).toContain('Team memory');
  });

  it('should refuse a bad server.json, naming the field, and change nothing', async () => {
    await admin.data(IMPORT, { j: weather('2.0.0') });
    const before = await rows();
    const bad = await admin.request(IMPORT, { j: weather('2.1.0', { remotes: [{ type: 'streamable-http', url: 'not a url' }], packages: [] }) });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('serverJson.remotes.0.url');
    const notJson = await admin.request(IMPORT, { j: '{' });
    expect(notJson.errors?.[0].extensions?.field).toBe('serverJson');
    expect(await rows()).toEqual(before);
  });

  describe('MCP Registry API', () => {
    it('should list servers in the registry shape, without credentials, paged by cursor and limit', async () => {
      const res = await registry('/v0.1/servers?limit=5');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { servers: { server: Record<string, unknown>; _meta: Record<string, unknown> }[]; metadata: { count: number; nextCursor?: string } };
      expect(body.metadata).toEqual({ count: 5, nextCursor: expect.any(String) });
      expect(body.servers[0]).toEqual({
        server: expect.objectContaining({ $schema: expect.stringContaining('server.schema.json'), name: expect.any(String), description: expect.any(String), version: expect.any(String) }),
        _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', publishedAt: expect.any(String), updatedAt: expect.any(String), isLatest: true } },
      });
      const names: string[] = [];
      let next: string | undefined = undefined;
      do {
        const p = (await (await registry(`/v0.1/servers?limit=7${next ? `&cursor=${encodeURIComponent(next)}` : ''}`)).json()) as typeof body;
        names.push(...p.servers.map((s) => s.server.name as string));
        next = p.metadata.nextCursor;
      } while (next);
      expect(names).toEqual((await all({}, 100)).map((e) => e.name));
    });

    it('should search, and refuse a bad limit or cursor with 400', async () => {
      const body = (await (await registry('/v0.1/servers?search=github')).json()) as { servers: { server: { name: string } }[] };
      expect(body.servers[0].server.name).toBe('io.github.github/github-mcp-server');
      expect((await registry('/v0.1/servers?limit=0')).status).toBe(400);
      expect((await registry('/v0.1/servers?limit=abc')).status).toBe(400);
      expect((await registry('/v0.1/servers?cursor=bogus')).status).toBe(400);
    });

    it('should serve one server by URL-encoded name, latest or its version, and 404 otherwise', async () => {
      const name = encodeURIComponent('io.github.modelcontextprotocol/server-memory');
      const latest = (await (await registry(`/v0.1/servers/${name}/versions/latest`)).json()) as { server: Record<string, unknown> };
      expect(latest.server).toMatchObject({
        name: 'io.github.modelcontextprotocol/server-memory',
        packages: [expect.objectContaining({ registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', transport: { type: 'stdio' } })],
      });
      const exact = await registry(`/v0.1/servers/${name}/versions/${latest.server.version as string}`);
      expect(exact.status).toBe(200);
      expect(((await exact.json()) as { server: unknown }).server).toEqual(latest.server);
      const versions = (await (await registry(`/v0.1/servers/${name}/versions`)).json()) as { servers: unknown[] };
      expect(versions.servers).toHaveLength(1);
      expect((await registry(`/v0.1/servers/${name}/versions/0.0.1`)).status).toBe(404);
      expect((await registry(`/v0.1/servers/${encodeURIComponent('com.example/none')}/versions/latest`)).status).toBe(404);
    });

    oneTarget('should serve every version newest first, mark the latest, and filter the list by version and updated_since', async () => {
      const tideName = encodeURIComponent('io.github.acme/tides');
      type Served = { server: { name: string; version: string; title: string }; _meta: { 'io.modelcontextprotocol.registry/official': { isLatest: boolean } } };
      const latestOf = (s: Served) => s._meta['io.modelcontextprotocol.registry/official'].isLatest;
      const versions = (await (await registry(`/v0.1/servers/${tideName}/versions`)).json()) as { servers: Served[]; metadata: { count: number } };
      // Imported by the earlier test in this order: 2.0.0, 1.5.0, 2.0.0-rc.1, 10.0.0, 9.9.9.
      expect(versions.servers.map((s) => [s.server.version, latestOf(s)])).toEqual([['9.9.9', false], ['10.0.0', true], ['2.0.0-rc.1', false], ['1.5.0', false], ['2.0.0', false]]);
      expect(versions.metadata.count).toBe(5);
      const old = (await (await registry(`/v0.1/servers/${tideName}/versions/1.5.0`)).json()) as Served;
      expect([old.server.title, latestOf(old)]).toEqual(['Tides (old)', false]);
      expect(((await (await registry(`/v0.1/servers/${tideName}/versions/latest`)).json()) as Served).server.version).toBe('10.0.0');
      // A pre-release's version as it is in a URL.
      expect((await registry(`/v0.1/servers/${tideName}/versions/${encodeURIComponent('2.0.0-rc.1')}`)).status).toBe(200);
      const missing = await registry(`/v0.1/servers/${tideName}/versions/3.0.0`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('Server version io.github.acme/tides@3.0.0 (it has 9.9.9, 10.0.0, 2.0.0-rc.1, 1.5.0, 2.0.0) not found');

      const list = async (query: string) => ((await (await registry(`/v0.1/servers?${query}`)).json()) as { servers: Served[] }).servers;
      // The list: one version per name, the latest, unless a version is asked for.
      expect((await list('search=tide%20tables')).map((s) => s.server.version)).toEqual(['10.0.0']);
      expect((await list('search=tide%20tables&version=latest')).map((s) => s.server.version)).toEqual(['10.0.0']);
      expect((await list('version=1.5.0')).map((s) => [s.server.name, latestOf(s)])).toEqual([['io.github.acme/tides', false]]);

      const [{ since }] = (await db.query('SELECT now() AS since')) as { since: Date }[];
      expect(await list(`updated_since=${encodeURIComponent(since.toISOString())}`)).toEqual([]);
      await admin.data(IMPORT, { j: weather('11.0.0', { name: 'io.github.acme/tides', title: 'Tides', description: 'Tide tables' }) });
      expect((await list(`updated_since=${encodeURIComponent(since.toISOString())}`)).map((s) => s.server.version)).toEqual(['11.0.0']);

      for (const [query, field] of [['updated_since=yesterday', 'updated_since'], ['updated_since=2025-13-45T00:00:00Z', 'updated_since'], ['version=a%20b', 'version']]) {
        const res = await registry(`/v0.1/servers?${query}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`^${field}: `));
      }
    });

    it('should describe remotes with their headers', async () => {
      const github = (await (await registry(`/v0.1/servers/${encodeURIComponent('io.github.github/github-mcp-server')}/versions/latest`)).json()) as { server: Record<string, unknown> };
      expect(github.server.remotes).toEqual([
        { type: 'streamable-http', url: 'https://api.githubcopilot.com/mcp/', headers: [expect.objectContaining({ name: 'Authorization', isRequired: true, isSecret: true })] },
      ]);
    });
  });
});
