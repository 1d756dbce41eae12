import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive, parseArchive, writeArchive } from '#backup';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, createKey, createPerson, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

const PASSPHRASE = 'my own passphrase 42';
const BACKUP_FIELDS = 'id scope totalRows sections { name rows }';
const RESTORE = 'mutation($i: RestoreBackupInput!){ restoreBackup(input: $i){ dryRun created changed skipped unchanged items { table key action reason } } }';

interface BackupView {
  id: string;
  scope: string;
  totalRows: number;
  sections: { name: string; rows: number }[];
}
interface ReportView {
  dryRun: boolean;
  created: number;
  changed: number;
  skipped: number;
  unchanged: number;
  items: { table: string; key: string; action: string; reason: string | null }[];
}

// Personal backups do not depend on the deployment mode: one target.
describe('Personal backups (one person’s configuration, restored through the checks they are held to)', () => {
  let dir: string;
  let hub: RunningHub;
  let admin: GraphQLClient;
  let alice: GraphQLClient & { userId: string };
  let bob: GraphQLClient & { userId: string };
  let upstream: RunningUpstream;
  let aliceServer: { id: string; slug: string };
  let aliceGroup: { id: string; slug: string };
  let aliceKey: { id: string; secret: string };

  const backUp = async (client: GraphQLClient) =>
    (await client.data<{ createBackup: BackupView }>(`mutation($p: String!){ createBackup(passphrase: $p, scope: USER){ ${BACKUP_FIELDS} } }`, { p: PASSPHRASE })).createBackup;
  const restore = async (client: GraphQLClient, backupId: string, extra: Record<string, unknown> = {}) =>
    (await client.data<{ restoreBackup: ReportView }>(RESTORE, { i: { backupId, passphrase: PASSPHRASE, ...extra } })).restoreBackup;
  const download = async (client: GraphQLClient, id: string) => fetch(`${hub.url}/backups/${id}/download`, { headers: { authorization: `Bearer ${client.token}` } });
  const upload = async (client: GraphQLClient, body: Buffer) =>
    fetch(`${hub.url}/backups/upload`, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
  const serverSlugs = async (client: GraphQLClient) => (await client.data<{ servers: { slug: string }[] }>('{ servers { slug } }')).servers.map((s) => s.slug).sort();
  const echo = async (key: string, message: string) => {
    const agent = await connectStreamable(hub.url, aliceGroup.slug, key);
    try {
      return text(await agent.callTool({ name: `${aliceServer.slug}__echo`, arguments: { message } }));
    } finally {
      await agent.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcphub-backup-user-'));
    upstream = await startEverythingHttp('streamableHttp');
    hub = await startHub(databaseTargets[0], { BACKUP_DIR: dir });
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    alice = await createPerson(admin, hub.url, 'alice@example.com');
    bob = await createPerson(admin, hub.url, 'bob@example.com');
    // Alice's configuration: a server with a secret header and a replica, a group with a filter and a rule, a credential.
    aliceServer = await registerServer(alice, { name: 'Alice tools', slug: 'alice-tools', transport: 'STREAMABLE_HTTP', url: upstream.url, headers: [{ name: 'X-Token', value: 'alice-header-secret' }] });
    await alice.data('mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }', {
      s: aliceServer.id,
      i: { name: 'second', transport: 'STREAMABLE_HTTP', url: upstream.url, weight: 2 },
    });
    aliceGroup = await createGroup(alice, 'alice-group', [aliceServer.id]);
    await alice.data('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id: $id, input: $i){ id } }', { id: aliceGroup.id, i: { toolFilterMode: 'DENY', toolFilter: ['alice-tools__get-env'] } });
    await alice.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: aliceGroup.id, name: 'no deletes', priority: 10, conditions: { tool: { glob: '*__delete_*' } }, action: { type: 'DENY', message: 'no' } },
    });
    await alice.data('mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }', { i: { name: 'ALICE_TOKEN', value: 'alice-credential-value' } });
    aliceKey = await createKey(alice, { groupIds: [aliceGroup.id] });
    // Bob's things, some in reach of Alice: never in her archive.
    const bobServer = await registerServer(bob, { name: 'Bob remote', slug: 'bob-remote', transport: 'STREAMABLE_HTTP', url: upstream.url });
    await createGroup(bob, 'bob-group', [bobServer.id]);
    await bob.data('mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }', { i: { name: 'BOB_TOKEN', value: 'bob-credential-value' } });
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await upstream?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('should back up a member’s own things only, restore them after they were deleted, and let their agent key call the tool again', async () => {
    expect(await echo(aliceKey.secret, 'before')).toContain('before');
    const backup = await backUp(alice);
    expect(backup.scope).toBe('USER');
    expect(Object.fromEntries(backup.sections.map((s) => [s.name, s.rows]))).toEqual({
      credentials: 1,
      mcp_servers: 1,
      server_endpoints: 2, // its primary (the server's transport) and its replica
      groups: 1,
      group_servers: 1,
      routing_rules: 1,
    });
    const archive = Buffer.from(await (await download(alice, backup.id)).arrayBuffer());
    const { sections } = await openArchive(parseArchive(archive), PASSPHRASE);
    const everything = JSON.stringify(sections);
    expect(everything).not.toMatch(/bob|admin@/i);
    expect(everything).not.toContain('alice-header-secret'); // secrets are sealed inside the archive too
    expect(sections.api_keys).toBeUndefined();

    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });
    await alice.data('mutation($id: ID!){ removeServer(id: $id) }', { id: aliceServer.id });
    const { credentials } = await alice.data<{ credentials: { id: string; name: string }[] }>('{ credentials { id name } }');
    await alice.data('mutation($id: ID!){ deleteCredential(id: $id) }', { id: credentials.find((c) => c.name === 'ALICE_TOKEN')!.id });
    expect(await serverSlugs(alice)).toEqual([]);

    const dry = await restore(alice, backup.id);
    expect(dry).toMatchObject({ dryRun: true, created: 6, skipped: 0 });
    expect(await serverSlugs(alice)).toEqual([]);

    const applied = await restore(alice, backup.id, { dryRun: false });
    expect(applied).toMatchObject({ dryRun: false, created: 6, skipped: 0 });
    expect(await serverSlugs(alice)).toEqual(['alice-tools']);
    const { group } = await alice.data<{ group: { id: string; toolFilterMode: string; toolFilter: string[] } }>('query($s: String!){ group(slug: $s){ id toolFilterMode toolFilter } }', { s: aliceGroup.slug });
    expect(group).toEqual({ id: aliceGroup.id, toolFilterMode: 'DENY', toolFilter: ['alice-tools__get-env'] });
    // Same ids: the key limited to the group works again, with the restored header secret.
    expect(await echo(aliceKey.secret, 'after restore')).toContain('after restore');

    const again = await restore(alice, backup.id, { dryRun: false });
    expect(again).toMatchObject({ created: 0, changed: 0, skipped: 0, unchanged: 6 });

    const audit = await admin.data<{ auditLog: { nodes: { outcome: string; changes: { entity: string }[] }[] } }>(
      '{ auditLog(filter: { action: "restoreBackup" }, first: 20){ nodes { outcome changes { entity } } } }',
    );
    const entities = new Set(audit.auditLog.nodes.flatMap((n) => n.changes.map((c) => c.entity)));
    expect([...entities]).toEqual(expect.arrayContaining(['Server', 'Group', 'Credential', 'Backup']));
  }, 60_000);

  it('should refuse, for a member, a stdio server in their archive and restore the rest', async () => {
    // An admin's personal archive holds a stdio server; a member who restores it is held to the member's rules.
    const stdio = await registerServer(admin, { name: 'Admin stdio', slug: 'admin-stdio', transport: 'STDIO', ...everythingStdio() });
    const http = await registerServer(admin, { name: 'Admin http', slug: 'admin-http', transport: 'STREAMABLE_HTTP', url: upstream.url });
    const backup = await backUp(admin);
    const archive = Buffer.from(await (await download(admin, backup.id)).arrayBuffer());
    await admin.data('mutation($id: ID!){ removeServer(id: $id) }', { id: stdio.id });
    await admin.data('mutation($id: ID!){ removeServer(id: $id) }', { id: http.id });
    const res = await upload(bob, archive);
    expect(res.status).toBe(201);
    const uploaded = (await res.json()) as BackupView;

    const dry = await restore(bob, uploaded.id);
    expect(dry.items).toContainEqual({ table: 'mcp_servers', key: stdio.id, action: 'REFUSED', reason: expect.stringMatching(/Only admins may register or change STDIO servers/) });
    expect(dry.items).toContainEqual(expect.objectContaining({ table: 'mcp_servers', key: http.id, action: 'CREATE' }));
    const applied = await restore(bob, uploaded.id, { dryRun: false });
    expect(applied.skipped).toBe(1);
    expect(await serverSlugs(bob)).toEqual(['admin-http', 'bob-remote']);
    expect(await serverSlugs(admin)).not.toContain('admin-stdio');
  }, 60_000);

  it('should refuse every server of an archive restored by an auditor (who creates nothing)', async () => {
    const temp = await registerServer(admin, { name: 'Admin temp', slug: 'admin-temp', transport: 'STREAMABLE_HTTP', url: upstream.url });
    const archive = Buffer.from(await (await download(admin, (await backUp(admin)).id)).arrayBuffer());
    await admin.data('mutation($id: ID!){ removeServer(id: $id) }', { id: temp.id });
    const auditor = await createPerson(admin, hub.url, 'auditor@example.com', 'AUDITOR');
    const uploaded = (await (await upload(auditor, archive)).json()) as BackupView;
    const report = await restore(auditor, uploaded.id);
    expect(report.items).toContainEqual({ table: 'mcp_servers', key: temp.id, action: 'REFUSED', reason: expect.stringMatching(/server\.create requires role/) });
    expect(report.created).toBe(0);
  }, 60_000);

  it('should refuse a wrong passphrase clearly and change nothing', async () => {
    const backup = await backUp(alice);
    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });
    const res = await alice.request(RESTORE, { i: { backupId: backup.id, passphrase: 'not the passphrase', dryRun: false } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/wrong passphrase/);
    expect((await alice.data<{ groups: unknown[] }>('{ groups { id } }')).groups).toEqual([]);
    // The group, its member and its rule come back; the rest was there.
    expect((await restore(alice, backup.id, { dryRun: false })).created).toBe(3);
  }, 60_000);

  it('should refuse to put another person’s server back into a restored group (it takes the right to share that server)', async () => {
    // An admin put Bob's server into Alice's group: her archive keeps the membership (not Bob's server itself).
    const { servers } = await bob.data<{ servers: { id: string; slug: string }[] }>('{ servers { id slug } }');
    const bobServer = servers.find((s) => s.slug === 'bob-remote')!;
    await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ id } }', { g: aliceGroup.id, s: bobServer.id });
    const backup = await backUp(alice);
    const { sections } = await openArchive(parseArchive(Buffer.from(await (await download(alice, backup.id)).arrayBuffer())), PASSPHRASE);
    expect(sections.mcp_servers.map((s) => s.slug)).toEqual(['alice-tools']);
    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });

    const report = await restore(alice, backup.id, { dryRun: false });
    expect(report.items).toContainEqual({ table: 'group_servers', key: `${aliceGroup.id}/${bobServer.id}`, action: 'REFUSED', reason: expect.stringMatching(/not found/i) });
    const { group } = await alice.data<{ group: { servers: { slug: string }[] } }>('query($s: String!){ group(slug: $s){ servers { slug } } }', { s: aliceGroup.slug });
    expect(group.servers.map((s) => s.slug)).toEqual(['alice-tools']);
  }, 60_000);

  it('should write nothing when one write of the restore fails (one transaction)', async () => {
    const backup = await backUp(alice);
    const file = parseArchive(Buffer.from(await (await download(alice, backup.id)).arrayBuffer()));
    const { key, sections } = await openArchive(file, PASSPHRASE);
    // Two rules of the group at one priority: planned one by one, the second insert fails inside the transaction.
    const rule = sections.routing_rules[0];
    const twin = { ...rule, id: '00000000-0000-4000-8000-0000000000aa', name: 'twin' };
    const { manifest } = file;
    const crafted = writeArchive({ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf, sections: { ...sections, routing_rules: [rule, twin] } });
    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });
    await alice.data('mutation($id: ID!){ removeServer(id: $id) }', { id: aliceServer.id });
    const uploaded = (await (await upload(alice, crafted)).json()) as BackupView;

    const res = await alice.request(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, dryRun: false } });
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toMatch(/nothing was restored/);
    expect(await serverSlugs(alice)).toEqual([]);
    expect((await alice.data<{ groups: unknown[] }>('{ groups { id } }')).groups).toEqual([]);
    expect((await restore(alice, backup.id, { dryRun: false })).skipped).toBe(0);
    expect(await serverSlugs(alice)).toEqual(['alice-tools']);
  }, 60_000);

  it('should keep a person’s archives from everyone else, and whole-hub backups from members', async () => {
    const backup = await backUp(alice);
    expect((await bob.data<{ backups: { id: string }[] }>('{ backups { id } }')).backups.map((b) => b.id)).not.toContain(backup.id);
    expect((await admin.data<{ backups: { id: string }[] }>('{ backups { id } }')).backups.map((b) => b.id)).toContain(backup.id);
    expect((await download(bob, backup.id)).status).toBe(404);
    expect(errorCode(await bob.request(RESTORE, { i: { backupId: backup.id, passphrase: PASSPHRASE } }))).toBe('NOT_FOUND');
    expect(errorCode(await bob.request('mutation($id: ID!){ deleteBackup(id: $id) }', { id: backup.id }))).toBe('NOT_FOUND');
    expect(errorCode(await bob.request(`mutation{ createBackup(passphrase: "${PASSPHRASE}"){ id } }`))).toBe('FORBIDDEN');
    const hubBackup = (await admin.data<{ createBackup: BackupView }>(`mutation($p: String!){ createBackup(passphrase: $p){ ${BACKUP_FIELDS} } }`, { p: PASSPHRASE })).createBackup;
    expect((await download(bob, hubBackup.id)).status).toBe(404);
    const hubArchive = Buffer.from(await (await download(admin, hubBackup.id)).arrayBuffer());
    expect((await upload(bob, hubArchive)).status).toBe(403);
  }, 60_000);

  it('should restore beside a server holding the slug with RENAME, and replace the person’s own with OVERWRITE', async () => {
    const backup = await backUp(alice);
    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });
    await alice.data('mutation($id: ID!){ removeServer(id: $id) }', { id: aliceServer.id });
    const newer = await registerServer(alice, { name: 'Alice tools', slug: 'alice-tools', transport: 'STREAMABLE_HTTP', url: upstream.url });

    const skip = await restore(alice, backup.id);
    expect(skip.items).toContainEqual({ table: 'mcp_servers', key: aliceServer.id, action: 'SKIP', reason: 'another server holds slug alice-tools' });
    expect(skip.items).toContainEqual(expect.objectContaining({ table: 'server_endpoints', action: 'SKIP', reason: `its server ${aliceServer.id} is not restored` }));
    const rename = await restore(alice, backup.id, { strategy: 'RENAME' });
    expect(rename.items).toContainEqual({ table: 'mcp_servers', key: aliceServer.id, action: 'RENAME', reason: 'slug alice-tools → alice-tools-restored' });

    const overwrite = await restore(alice, backup.id, { strategy: 'OVERWRITE', dryRun: false });
    expect(overwrite.items).toContainEqual({ table: 'mcp_servers', key: aliceServer.id, action: 'REPLACE', reason: 'replaced your server holding slug alice-tools' });
    const { servers } = await alice.data<{ servers: { id: string; slug: string }[] }>('{ servers { id slug } }');
    expect(servers).toEqual([{ id: aliceServer.id, slug: 'alice-tools' }]);
    expect(servers.map((s) => s.id)).not.toContain(newer.id);
    expect(await echo(aliceKey.secret, 'after overwrite')).toContain('after overwrite');
  }, 60_000);

  it('should hold restored rules to the limit of rules per group', async () => {
    const file = parseArchive(Buffer.from(await (await download(alice, (await backUp(alice)).id)).arrayBuffer()));
    const { key, sections } = await openArchive(file, PASSPHRASE);
    // The group has its one rule; 200 more would take it past 200.
    const rule = sections.routing_rules[0];
    const extra = Array.from({ length: 200 }, (_, i) => ({ ...rule, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `extra ${i}`, priority: 1000 + i }));
    const { manifest } = file;
    const crafted = writeArchive({ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf, sections: { ...sections, routing_rules: [rule, ...extra] } });
    const uploaded = (await (await upload(alice, crafted)).json()) as BackupView;
    const report = await restore(alice, uploaded.id);
    expect(report.created).toBe(199);
    expect(report.items.filter((i) => i.action === 'REFUSED')).toEqual([
      { table: 'routing_rules', key: extra[199].id, action: 'REFUSED', reason: expect.stringMatching(/already has 200 rules, the most a group may have/) },
    ]);
  }, 60_000);

  it('should restore a personal archive written before endpoints (transport on the server, a server_replicas section)', async () => {
    const file = parseArchive(Buffer.from(await (await download(alice, (await backUp(alice)).id)).arrayBuffer()));
    const { key, sections } = await openArchive(file, PASSPHRASE);
    // The old shape, as such a hub wrote it: the primary's columns (and its ciphertexts, sealed with the server's id,
    // which the primary keeps) on the server; the other endpoints in server_replicas, without a primary flag.
    const { server_endpoints: endpoints, ...rest } = sections;
    const primaryOf = (serverId: unknown) => endpoints.find((e) => e.primary && e.server_id === serverId)!;
    const moved = ['transport', 'command', 'args', 'cwd', 'url', 'env', 'headers', 'weight', 'priority'];
    const old = {
      ...rest,
      mcp_servers: rest.mcp_servers.map((s) => ({ ...s, ...Object.fromEntries(moved.map((c) => [c, primaryOf(s.id)[c]])) })),
      server_replicas: endpoints.filter((e) => !e.primary).map(({ primary: _primary, ...replica }) => replica),
    };
    const { manifest } = file;
    const crafted = writeArchive({ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf, sections: old });
    await alice.data('mutation($id: ID!){ removeGroup(id: $id) }', { id: aliceGroup.id });
    await alice.data('mutation($id: ID!){ removeServer(id: $id) }', { id: aliceServer.id });
    const uploaded = (await (await upload(alice, crafted)).json()) as BackupView;

    const report = await restore(alice, uploaded.id, { dryRun: false });
    expect(report).toMatchObject({ created: 5, skipped: 0, unchanged: 1 }); // the credential was kept
    expect(report.items).toContainEqual(expect.objectContaining({ table: 'server_endpoints', action: 'CREATE' }));
    const { server } = await alice.data<{ server: { transport: string; url: string; weight: number; headers: { name: string }[]; replicas: { name: string; weight: number }[] } }>(
      'query($id: ID!){ server(id: $id){ transport url weight headers { name } replicas { name weight } } }',
      { id: aliceServer.id },
    );
    expect(server).toEqual({ transport: 'STREAMABLE_HTTP', url: upstream.url, weight: 1, headers: [{ name: 'X-Token' }], replicas: [{ name: 'second', weight: 2 }] });
    expect(await echo(aliceKey.secret, 'after an old archive')).toContain('after an old archive');
  }, 60_000);

  it('should put each server’s connection placement back, and give servers of an archive from before placement their transport’s default', async () => {
    const placements = async () =>
      Object.fromEntries((await admin.data<{ servers: { slug: string; connectionPlacement: string }[] }>('{ servers { slug connectionPlacement } }')).servers.map((s) => [s.slug, s.connectionPlacement]));
    const place = (id: string, connectionPlacement: string) =>
      admin.data('mutation($s: ID!, $i: ServerBalancingInput!){ updateServerBalancing(serverId: $s, input: $i){ id } }', { s: id, i: { connectionPlacement } });
    const stdio = await registerServer(admin, { name: 'Placed stdio', slug: 'placed-stdio', transport: 'STDIO', ...everythingStdio() });
    const http = await registerServer(admin, { name: 'Placed http', slug: 'placed-http', transport: 'STREAMABLE_HTTP', url: upstream.url });
    // The opposite of the creation defaults: a restore that lost the column would show the defaults.
    await place(stdio.id, 'EVERY_HUB');
    await place(http.id, 'ONE_HUB');
    const backup = await backUp(admin);
    const file = parseArchive(Buffer.from(await (await download(admin, backup.id)).arrayBuffer()));
    const removeBoth = async () => {
      for (const { id } of [stdio, http]) await admin.data('mutation($id: ID!){ removeServer(id: $id) }', { id });
    };

    await removeBoth();
    await restore(admin, backup.id, { dryRun: false });
    expect(await placements()).toMatchObject({ 'placed-stdio': 'EVERY_HUB', 'placed-http': 'ONE_HUB' });

    // The same archive as a hub without the column wrote it.
    const { key, sections } = await openArchive(file, PASSPHRASE);
    const old = { ...sections, mcp_servers: sections.mcp_servers.map(({ connection_placement: _placement, ...server }) => server) };
    const { manifest } = file;
    const crafted = writeArchive({ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf, sections: old });
    await removeBoth();
    const uploaded = (await (await upload(admin, crafted)).json()) as BackupView;
    await restore(admin, uploaded.id, { dryRun: false });
    expect(await placements()).toMatchObject({ 'placed-stdio': 'ONE_HUB', 'placed-http': 'EVERY_HUB' });

    // A value the hub does not know is refused by the same check as updateServerBalancing's; the rest is restored.
    const unknown = { ...sections, mcp_servers: sections.mcp_servers.map((server) => (server.id === http.id ? { ...server, connection_placement: 'SOMEWHERE' } : server)) };
    const bad = writeArchive({ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf, sections: unknown });
    await removeBoth();
    const report = await restore(admin, ((await (await upload(admin, bad)).json()) as BackupView).id, { dryRun: false });
    expect(report.items).toContainEqual({ table: 'mcp_servers', key: http.id, action: 'REFUSED', reason: expect.stringContaining('connectionPlacement: must be EVERY_HUB or ONE_HUB') });
    expect(await placements()).toMatchObject({ 'placed-stdio': 'EVERY_HUB' });
    expect(await placements()).not.toHaveProperty('placed-http');
  }, 60_000);

  it('should put a changed server’s transport and primary weight back with OVERWRITE (its primary endpoint goes with it)', async () => {
    const backup = await backUp(alice);
    await alice.data('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', { id: aliceServer.id, i: { url: `${upstream.url}?changed=1` } });
    await alice.data('mutation($s: ID!, $i: ServerBalancingInput!){ updateServerBalancing(serverId: $s, input: $i){ id } }', { s: aliceServer.id, i: { weight: 7 } });

    expect((await restore(alice, backup.id)).items).toContainEqual({ table: 'mcp_servers', key: aliceServer.id, action: 'SKIP', reason: 'the hub has this server with other values; kept the hub’s' });
    const report = await restore(alice, backup.id, { strategy: 'OVERWRITE', dryRun: false });
    expect(report.items).toContainEqual({ table: 'mcp_servers', key: aliceServer.id, action: 'UPDATE', reason: null });
    expect(report).toMatchObject({ changed: 1, skipped: 0 }); // the replica and everything else are unchanged
    const { server } = await alice.data<{ server: { url: string; weight: number; replicas: { name: string }[] } }>('query($id: ID!){ server(id: $id){ url weight replicas { name } } }', {
      id: aliceServer.id,
    });
    expect(server).toEqual({ url: upstream.url, weight: 1, replicas: [{ name: 'second' }] });
  }, 60_000);

  it('should skip a server the archive holds no primary endpoint for, and a replica with its server’s id', async () => {
    const file = parseArchive(Buffer.from(await (await download(alice, (await backUp(alice)).id)).arrayBuffer()));
    const { key, sections } = await openArchive(file, PASSPHRASE);
    const ghost = { ...sections.mcp_servers[0], id: '00000000-0000-4000-8000-0000000000bb', slug: 'ghost' };
    const replica = sections.server_endpoints.find((e) => !e.primary)!;
    const endpoints = [...sections.server_endpoints, { ...replica, id: aliceServer.id }];
    const { manifest } = file;
    const crafted = writeArchive({
      ...{ hubVersion: manifest.hubVersion, schema: manifest.schema, scope: manifest.scope, createdAt: new Date(), key, kdf: manifest.kdf },
      sections: { ...sections, mcp_servers: [...sections.mcp_servers, ghost], server_endpoints: endpoints },
    });
    const uploaded = (await (await upload(alice, crafted)).json()) as BackupView;
    const report = await restore(alice, uploaded.id);
    expect(report.items).toEqual([
      { table: 'mcp_servers', key: ghost.id, action: 'SKIP', reason: 'the archive holds no primary endpoint (transport) for it' },
      { table: 'server_endpoints', key: aliceServer.id, action: 'SKIP', reason: 'a replica cannot have its server’s id (that is the primary endpoint’s)' },
    ]);
  }, 60_000);
});
