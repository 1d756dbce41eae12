import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { addTeamMember, createGroup, createKey, createPerson, createTeam, share } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { hubTargetRows, hubTargets } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { waitFor } from '../support/upstreams.js';
import { startNpmRegistryStandIn, type NpmRegistryStandIn } from '../support/npm-registry-stand-in.js';
import { useNpmHome } from '../support/npm-home.js';
import { remoteServerJson, stdioServerJson, tokenReporterPackages } from '../support/catalog-fixtures.js';
import { startWorker } from '../support/worker-app.js';

const IMPORT = 'mutation($j: String!){ importCatalogEntry(serverJson: $j){ id name } }';
const INSTALL = `mutation($i: InstallCatalogEntryInput!){ installCatalogEntry(input: $i){
  server { id slug transport command args credentialScope env { name maskedValue } headers { name maskedValue } variables { name source } }
  group { id slug }
  installation { packageSpec state progress }
  variables { kind name credentialName stored used }
} }`;
const INSTALL_URL = 'mutation($i: InstallCatalogEntryInput!){ installCatalogEntry(input: $i){ server { id url } } }';
const INSTALLATION = 'query($id: ID!){ server(id: $id){ installation { packageSpec state progress fetched error } } }';
const SET = 'mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }';

interface Installation {
  packageSpec: string;
  state: string;
  progress: number;
  fetched: number;
  error: string | null;
}

describe.each(hubTargetRows)('installing from the marketplace catalog on %s', (_name, target) => {
  let hub: RunningHub;
  let worker: INestApplicationContext | undefined;
  let npm: NpmRegistryStandIn;
  let npmHome: Awaited<ReturnType<typeof useNpmHome>>;
  let admin: GraphQLClient;
  let alice: GraphQLClient & { userId: string };
  let bob: GraphQLClient & { userId: string };
  let teamId: string;
  let group: { id: string; slug: string };
  const entries: Record<string, string> = {};
  const clients: Client[] = [];
  /** What the registry stand-in serves: a test may publish a package by adding it. */
  const packages = [...tokenReporterPackages(), ...tokenReporterPackages('mcp-hub-late-package')];

  const installationOf = async (client: GraphQLClient, serverId: string) =>
    (await client.data<{ server: { installation: Installation | null } }>(INSTALLATION, { id: serverId })).server.installation;
  /** Polls the installation until it settles, noting every state seen on the way. */
  const settled = async (client: GraphQLClient, serverId: string, seen: string[] = []) =>
    waitFor(
      async () => {
        const i = (await installationOf(client, serverId))!;
        if (seen.at(-1) !== i.state) seen.push(i.state);
        return i.state === 'READY' || i.state === 'FAILED' ? i : null;
      },
      60_000,
      'the pre-fetch to settle',
    );
  const serverCount = async () => (await admin.data<{ servers: unknown[] }>('{ servers(first: 100){ id } }')).servers.length;

  beforeAll(async () => {
    npm = await startNpmRegistryStandIn(packages);
    npmHome = await useNpmHome(npm.url);
    hub = await startHub(target.database, { ...target.env, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn' });
    if (!target.inProcessJobs) {
      // Production shape: the pre-fetch runs in the worker, on the same machine here (so the same npx cache).
      worker = await startWorker(hub.config);
    }
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    // Stdio servers run programs on the hub: only admins install them. Alice is one; Bob a member.
    alice = await createPerson(admin, hub.url, 'alice@example.com', 'ADMIN');
    bob = await createPerson(admin, hub.url, 'bob@example.com');
    ({ id: teamId } = await createTeam(alice, 'everyone'));
    await addTeamMember(alice, teamId, bob.userId);
    group = await createGroup(alice, 'tokens', [], 'NONE');
    await share(alice, 'Group', group.id, teamId, 'VIEWER');
    for (const [key, json] of [
      ['token', stdioServerJson('io.example.test/token-reporter', 'mcp-hub-token-reporter')],
      ['missing', stdioServerJson('io.example.test/missing-package', 'mcp-hub-no-such-package')],
      ['late', stdioServerJson('io.example.test/late', 'mcp-hub-late-package')],
      ['retry', stdioServerJson('io.example.test/retry', 'mcp-hub-retry-package')],
      ['remote', remoteServerJson('io.example.test/remote-tokens', 'http://127.0.0.1:9/mcp')],
    ] as const) {
      entries[key] = (await admin.data<{ importCatalogEntry: { id: string } }>(IMPORT, { j: json })).importCatalogEntry.id;
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await worker?.close();
    await hub?.close();
    await npm?.close();
    await npmHome?.restore();
  });

  it("should refuse a member a stdio entry (it runs a program on the hub's machine), writing nothing", async () => {
    const before = await serverCount();
    const res = await bob.request(INSTALL, { i: { entryId: entries.token, values: [{ name: 'SERVICE_TOKEN', value: 'bob-token' }] } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/Only admins may install token-reporter: stdio servers run programs/);
    expect(await serverCount()).toBe(before);
    expect((await bob.data<{ credentials: unknown[] }>('{ credentials { name } }')).credentials).toEqual([]);
  });

  it('should name the required variables a SHARED install lacks, writing nothing', async () => {
    const before = await serverCount();
    const res = await alice.request(INSTALL, { i: { entryId: entries.token, credentialScope: 'SHARED', groupId: group.id } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/token-reporter needs SERVICE_TOKEN: type it, set it in Settings → Credentials first, or install it PER_USER/);
    expect(await serverCount()).toBe(before);
  });

  it('should refuse a value for a variable the entry does not have, and a group the installer may not change', async () => {
    const unknown = await alice.request(INSTALL, { i: { entryId: entries.token, values: [{ name: 'OTHER', value: 'x' }] } });
    expect(unknown.errors![0].message).toMatch(/input\.values\.0\.name: "OTHER" is not a variable of this entry \(it has SERVICE_TOKEN\)/);
    const adminsGroup = await createGroup(admin, 'admins-only', [], 'NONE');
    const member = await bob.request(INSTALL, { i: { entryId: entries.remote, groupId: adminsGroup.id, values: [{ name: 'Authorization', value: 'Bearer b' }] } });
    expect(errorCode(member)).toBe('NOT_FOUND');
    // The transaction took the server and Bob's credential back with it.
    expect((await bob.data<{ credentials: unknown[] }>('{ credentials { name } }')).credentials).toEqual([]);
  });

  it("should install for A with A's token, pre-fetch the package with progress, and let B's agents use B's own token", async () => {
    const seen: string[] = [];
    const { installCatalogEntry: installed } = await alice.data<{
      installCatalogEntry: {
        server: { id: string; slug: string; command: string; args: string[]; credentialScope: string; env: { name: string; maskedValue: string }[]; variables: { name: string; source: string | null }[] };
        group: { id: string };
        installation: { packageSpec: string; state: string; progress: number };
        variables: unknown[];
      };
    }>(INSTALL, { i: { entryId: entries.token, credentialScope: 'PER_USER', groupId: group.id, values: [{ name: 'SERVICE_TOKEN', value: 'alice-secret-token' }] } });
    seen.push(installed.installation.state);
    expect(installed.server).toMatchObject({
      slug: 'token-reporter',
      command: 'npx',
      args: ['-y', 'mcp-hub-token-reporter@1.0.0'],
      credentialScope: 'PER_USER',
      variables: [{ name: 'SERVICE_TOKEN', source: 'USER' }],
    });
    // Only the template is on the server row; the value is Alice's own credential.
    expect(installed.server.env.map((e) => e.name)).toEqual(['SERVICE_TOKEN']);
    expect(installed.group.id).toBe(group.id);
    expect(installed.variables).toEqual([{ kind: 'ENV', name: 'SERVICE_TOKEN', credentialName: 'SERVICE_TOKEN', stored: true, used: true }]);
    expect(installed.installation).toMatchObject({ packageSpec: 'mcp-hub-token-reporter@1.0.0' });

    const done = await settled(alice, installed.server.id, seen);
    expect(done).toMatchObject({ state: 'READY', progress: 100, error: null });
    expect(done.fetched).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe('READY');
    expect(npm.requests).toEqual(expect.arrayContaining(['/mcp-hub-token-reporter/-/mcp-hub-token-reporter-1.0.0.tgz', '/mcp-hub-test-dep/-/mcp-hub-test-dep-1.0.0.tgz']));
    const tarballsBefore = npm.requests.filter((p) => p.endsWith('.tgz')).length;

    await share(alice, 'Server', installed.server.id, teamId, 'VIEWER');
    await bob.data(SET, { i: { name: 'SERVICE_TOKEN', value: 'bob-secret-token' } });
    const [aliceKey, bobKey] = [await createKey(alice), await createKey(bob)];
    const whoami = async (key: string) => {
      const client = await connectStreamable(hub.url, group.slug, key);
      clients.push(client);
      const call = () => client.callTool({ name: 'whoami', arguments: {} }) as Promise<{ content: { text: string }[] }>;
      // With Redis the share and Bob's credential reach the gateway by pub/sub: one landing while npx starts makes
      // the pool drop that connection (-32001, "reconfigured while connecting"), which an agent retries.
      const result = await call().catch((error: Error) => (/reconfigured while connecting/.test(error.message) ? call() : Promise.reject(error)));
      return JSON.parse(result.content[0].text) as { token: string; pid: number };
    };
    const [a, b] = await Promise.all([whoami(aliceKey.secret), whoami(bobKey.secret)]);
    expect(a.token).toBe('alice-secret-token');
    expect(b.token).toBe('bob-secret-token');
    expect(a.pid).not.toBe(b.pid);
    // Both processes came from the npx cache the pre-fetch filled: no tarball was downloaded again.
    expect(npm.requests.filter((p) => p.endsWith('.tgz'))).toHaveLength(tarballsBefore);

    // Audited as one operation, without the token in any form.
    const audit = await admin.data<{ auditLog: { nodes: { action: string; changes: { entity: string }[] }[] } }>(
      '{ auditLog(first: 5, filter: { action: "installCatalogEntry" }){ nodes { action outcome changes { entity fields { name secret newValue } } } } }',
    );
    const entry = audit.auditLog.nodes.find((n) => n.changes.length);
    expect(entry?.changes.map((c) => c.entity).sort()).toEqual(expect.arrayContaining(['Credential', 'GroupServer', 'Server']));
    expect(JSON.stringify(audit)).not.toMatch(/alice-secret-token|v1\./);
  }, 120_000);

  it('should let a member install a remote entry: the Authorization header refers to a variable named after the entry', async () => {
    const { installCatalogEntry: installed } = await bob.data<{
      installCatalogEntry: { server: { transport: string; headers: { name: string }[]; variables: unknown[] }; installation: unknown; variables: unknown[] };
    }>(INSTALL, { i: { entryId: entries.remote, values: [{ name: 'Authorization', value: 'Bearer bob-remote-token' }] } });
    expect(installed.server.transport).toBe('STREAMABLE_HTTP');
    expect(installed.server.headers.map((h) => h.name)).toEqual(['Authorization']);
    expect(installed.server.variables).toEqual([{ name: 'REMOTE_TOKENS_AUTHORIZATION', source: 'USER' }]);
    expect(installed.installation).toBeNull();
    expect(installed.variables).toEqual([{ kind: 'HEADER', name: 'Authorization', credentialName: 'REMOTE_TOKENS_AUTHORIZATION', stored: true, used: true }]);
    const creds = await bob.data<{ credentials: { name: string; scope: string; maskedValue: string }[] }>('{ credentials { name scope maskedValue } }');
    expect(creds.credentials).toEqual(expect.arrayContaining([{ name: 'REMOTE_TOKENS_AUTHORIZATION', scope: 'USER', maskedValue: expect.not.stringContaining('bob-remote') }]));
  });

  // Choosing a version does not depend on the deployment: one target (production-like when available).
  if (target === hubTargets.at(-1)) {
    it('should install the version asked for, the latest when none is, and refuse one the entry lacks, naming it and writing nothing', async () => {
      const older = { ...JSON.parse(remoteServerJson('io.example.test/remote-tokens', 'http://127.0.0.1:9/v1/mcp')), version: '1.0.0' };
      const olderId = (await admin.data<{ importCatalogEntry: { id: string } }>(IMPORT, { j: JSON.stringify(older) })).importCatalogEntry.id;
      const install = (input: Record<string, unknown>) => bob.data<{ installCatalogEntry: { server: { id: string; url: string } } }>(INSTALL_URL, { i: input });
      // Bob's REMOTE_TOKENS_AUTHORIZATION (an earlier test) fills the header.
      expect((await install({ entryId: entries.remote, version: '1.0.0' })).installCatalogEntry.server.url).toBe('http://127.0.0.1:9/v1/mcp');
      // Any version's id names the entry; without a version, the latest is installed.
      expect((await install({ entryId: olderId })).installCatalogEntry.server.url).toBe('http://127.0.0.1:9/mcp');

      const before = await serverCount();
      const res = await bob.request(INSTALL_URL, { i: { entryId: entries.remote, version: '3.0.0' } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toBe('input.version: "3.0.0" is not a version of io.example.test/remote-tokens (it has 1.0.0, 2.0.0)');
      expect(res.errors![0].extensions?.field).toBe('input.version');
      const blank = await bob.request(INSTALL_URL, { i: { entryId: entries.remote, version: '1 0' } });
      expect(blank.errors![0].message).toMatch(/^input\.version: must be a version without spaces/);
      expect(await serverCount()).toBe(before);
    });
  }

  it('should report a package the registry does not have as a failed pre-fetch saying so', async () => {
    const { installCatalogEntry: installed } = await alice.data<{ installCatalogEntry: { server: { id: string } } }>(INSTALL, {
      i: { entryId: entries.missing, credentialScope: 'PER_USER' },
    });
    const done = await settled(alice, installed.server.id);
    expect(done).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/npm package mcp-hub-no-such-package@1.0.0 was not found in the registry/) });
    // Another person who may read the server sees the same state; one who may not sees nothing.
    const res = await bob.request('query($id: ID!){ serverInstallation(serverId: $id){ state } }', { id: installed.server.id });
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  // The retry does not depend on the deployment mode (the job runs wherever the first one ran): one target.
  if (target === hubTargets[0]) {
    it('should retry a failed pre-fetch once the cause is fixed (FAILED → QUEUED → READY), and only a failed one', async () => {
      const { installCatalogEntry: installed } = await alice.data<{ installCatalogEntry: { server: { id: string } } }>(INSTALL, {
        i: { entryId: entries.retry, credentialScope: 'PER_USER' },
      });
      expect(await settled(alice, installed.server.id)).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/mcp-hub-retry-package@1.0.0 was not found/) });
      const RETRY = 'mutation($id: ID!){ retryServerInstallation(serverId: $id){ state progress error } }';
      // Bob may read nothing of Alice's server: "not found", and nothing queued.
      expect(errorCode(await bob.request(RETRY, { id: installed.server.id }))).toBe('NOT_FOUND');
      // The package gets published: the stand-in serves it from now on.
      packages.push(...tokenReporterPackages('mcp-hub-retry-package'));
      const { retryServerInstallation } = await alice.data<{ retryServerInstallation: Installation }>(RETRY, { id: installed.server.id });
      expect(retryServerInstallation).toEqual({ state: 'QUEUED', progress: 0, error: null });
      expect(await settled(alice, installed.server.id)).toMatchObject({ state: 'READY', progress: 100, error: null });
      const again = await alice.request(RETRY, { id: installed.server.id });
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors?.[0]?.message).toMatch(/is READY, not FAILED: only a failed pre-fetch can be retried/);
    });
  }

  it('should follow the cursors of a registry, import what validates and say why the rest was skipped', async () => {
    let standIn: Server | undefined;
    try {
      const pages: Record<string, unknown> = {
        '': {
          servers: [
            { server: JSON.parse(stdioServerJson('io.example.registry/first', 'first-package')), _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } } },
            { server: { name: 'io.example.registry/python-only', description: 'PyPI only', version: '1.0.0', packages: [{ registryType: 'pypi', identifier: 'x', transport: { type: 'stdio' } }] } },
          ],
          metadata: { count: 2, nextCursor: 'page-2' },
        },
        'page-2': {
          servers: [
            // An older version: kept, not the latest (the registry says so, whatever the order).
            { server: JSON.parse(stdioServerJson('io.example.registry/first', 'first-package', '0.9.0')), _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: false } } },
            { server: JSON.parse(stdioServerJson('io.example.registry/gone', 'gone-package')), _meta: { 'io.modelcontextprotocol.registry/official': { status: 'deleted', isLatest: true } } },
            { server: JSON.parse(remoteServerJson('io.example.test/remote-tokens', 'http://127.0.0.1:9/v2/mcp')) },
          ],
          metadata: { count: 3 },
        },
      };
      const paths: string[] = [];
      standIn = createServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        paths.push(url.pathname + url.search);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(pages[url.searchParams.get('cursor') ?? '']));
      });
      await new Promise<void>((resolve) => standIn!.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
      const { importCatalogFromRegistry: result } = await admin.data<{ importCatalogFromRegistry: Record<string, unknown> }>(
        'mutation($u: String!){ importCatalogFromRegistry(url: $u){ pages created updated skipped items { name version outcome reason } } }',
        { u: base },
      );
      expect(paths).toEqual(['/v0.1/servers?limit=100', '/v0.1/servers?limit=100&cursor=page-2']);
      expect(result).toEqual({
        pages: 2,
        created: 2,
        updated: 1,
        skipped: 2,
        items: [
          { name: 'io.example.registry/first', version: '1.0.0', outcome: 'CREATED', reason: null },
          { name: 'io.example.registry/python-only', version: '1.0.0', outcome: 'SKIPPED', reason: expect.stringMatching(/serverJson.packages: needs an npm package with a stdio transport, or a remote/) },
          { name: 'io.example.registry/first', version: '0.9.0', outcome: 'CREATED', reason: null },
          { name: 'io.example.registry/gone', version: '1.0.0', outcome: 'SKIPPED', reason: 'marked deleted in the registry' },
          { name: 'io.example.test/remote-tokens', version: '2.0.0', outcome: 'UPDATED', reason: null },
        ],
      });
      const listed = await admin.data<{ catalogEntries: { nodes: { name: string; version: string; versions: { version: string; isLatest: boolean }[] }[] } }>(
        '{ catalogEntries(search: "first", first: 100){ nodes { name version versions { version isLatest } } } }',
      );
      expect(listed.catalogEntries.nodes.filter((n) => n.name === 'io.example.registry/first')).toEqual([
        { name: 'io.example.registry/first', version: '1.0.0', versions: [{ version: '0.9.0', isLatest: false }, { version: '1.0.0', isLatest: true }] },
      ]);
      const updated = await admin.data<{ catalogEntry: { url: string } }>('query($id: ID!){ catalogEntry(id: $id){ url } }', { id: entries.remote });
      expect(updated.catalogEntry.url).toBe('http://127.0.0.1:9/v2/mcp');
    } finally {
      standIn?.closeAllConnections();
      await new Promise((resolve) => (standIn ? standIn.close(resolve) : resolve(undefined)));
    }
  });

  it("should import from a hub's own Registry API (the real protocol): every entry comes back, none skipped", async () => {
    const total = async () => {
      let count = 0;
      let after: string | null = null;
      do {
        const page: { catalogEntries: { nodes: unknown[]; endCursor: string | null } } = await admin.data('query($a: String){ catalogEntries(first: 100, after: $a){ nodes { id } endCursor } }', { a: after });
        count += page.catalogEntries.nodes.length;
        after = page.catalogEntries.endCursor;
      } while (after);
      return count;
    };
    const before = await total();
    const { importCatalogFromRegistry: result } = await admin.data<{ importCatalogFromRegistry: { created: number; updated: number; skipped: number; items: { reason: string | null }[] } }>(
      'mutation($u: String!){ importCatalogFromRegistry(url: $u){ created updated skipped items { name reason } } }',
      { u: `${hub.url}/v0.1/servers` },
    );
    expect(result).toMatchObject({ created: 0, updated: before, skipped: 0 });
    expect(await total()).toBe(before);
  });

  it('should refuse a URL that is not a registry, naming the field, and change nothing', async () => {
    const res = await admin.request('mutation($u: String!){ importCatalogFromRegistry(url: $u){ created } }', { u: `${hub.url}/health/live` });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/^url: answered 404/);
    const bad = await admin.request('mutation($u: String!){ importCatalogFromRegistry(url: $u){ created } }', { u: 'ftp://example.com' });
    expect(bad.errors![0].message).toMatch(/^url: must be an http\(s\) URL/);
  });

  it('should report an unreachable npm registry as a failed pre-fetch saying so', async () => {
    await npm.close();
    const { installCatalogEntry: installed } = await alice.data<{ installCatalogEntry: { server: { id: string } } }>(INSTALL, {
      i: { entryId: entries.late, credentialScope: 'PER_USER' },
    });
    const done = await settled(alice, installed.server.id);
    expect(done).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/the npm registry could not be reached \(ECONNREFUSED/) });
  });
});
