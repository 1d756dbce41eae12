import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SealedColumnRegistry, SecretBox } from '#core';
import { openArchive, parseArchive, writeArchive, type BackupManifest } from '#backup';
import { hubTargetRows } from '../support/hub-targets.js';
import { GraphQLClient, errorCode, type GraphQLResponse } from '../support/graphql-client.js';
import { createGroup, createKey, createPerson, createTeam, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio } from '../support/upstreams.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

const PASSPHRASE = 'correct horse battery staple';
const BACKUP_FIELDS = 'id fileName source sizeBytes sha256 schema totalRows sections { name rows sha256 } verifyOk verifyMessage lastRestore { strategy created changed }';
const REPORT_FIELDS = 'dryRun strategy created changed skipped unchanged itemsOmitted tables { table created changed skipped unchanged } items { table key action reason }';
const RESTORE = `mutation($i: RestoreBackupInput!){ restoreBackup(input: $i){ ${REPORT_FIELDS} } }`;

interface BackupView {
  id: string;
  fileName: string;
  sizeBytes: number;
  totalRows: number;
  sections: { name: string; rows: number }[];
  verifyOk: boolean | null;
  verifyMessage: string | null;
  lastRestore: { strategy: string; created: number; changed: number } | null;
}
interface ReportView {
  dryRun: boolean;
  created: number;
  changed: number;
  skipped: number;
  unchanged: number;
  tables: { table: string; created: number; changed: number; skipped: number }[];
  items: { table: string; key: string; action: string; reason: string | null }[];
}

async function download(hub: RunningHub, client: GraphQLClient, id: string): Promise<Response> {
  return fetch(`${hub.url}/backups/${id}/download`, { headers: { authorization: `Bearer ${client.token}` } });
}

async function upload(hub: RunningHub, client: GraphQLClient, body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${hub.url}/backups/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** An archive's rows with every secret opened (ciphertexts differ per seal): what "the same configuration" means. */
async function configurationOf(archive: Buffer, registry: SealedColumnRegistry): Promise<Record<string, unknown[]>> {
  const parsed = parseArchive(archive);
  const { key, sections } = await openArchive(parsed, PASSPHRASE);
  const box = new SecretBox(key.secretsKey);
  const out: Record<string, unknown[]> = {};
  for (const [table, rows] of Object.entries(sections)) {
    const sealed = registry.all().filter((c) => c.table === table);
    out[table] = rows.map((row) => {
      const opened = { ...row };
      for (const c of sealed) {
        const v = row[c.column];
        if (v === null || v === undefined) continue;
        opened[c.column] =
          c.shape === 'text' ? box.open(String(v), c.context(row)) : (v as { name: string; value: string }[]).map((e) => ({ ...e, value: box.open(e.value, c.context(row, e.name)) }));
      }
      return opened;
    });
  }
  return out;
}

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe.each(hubTargetRows)('Backup and restore (wipe, restore, agents work again) on %s', (_name, target) => {
  let dirA: string;
  let dirB: string;
  let hubA: RunningHub | undefined;
  let hubB: RunningHub;
  let adminB: GraphQLClient;
  let archive: Buffer;
  let backupA: BackupView;
  let key: { id: string; secret: string };
  let memberKey: { id: string; secret: string };
  let registry: SealedColumnRegistry;
  const clients: Client[] = [];

  const counts = async (client: GraphQLClient) => {
    const { servers, groups } = await client.data<{ servers: { id: string }[]; groups: { id: string }[] }>('{ servers { id } groups { id } }');
    return { servers: servers.length, groups: groups.length };
  };

  beforeAll(async () => {
    dirA = await mkdtemp(join(tmpdir(), 'mcphub-backup-a-'));
    dirB = await mkdtemp(join(tmpdir(), 'mcphub-backup-b-'));
    // The hub that is lost: servers with sealed secrets, a group with a rule, a team, a member, keys used by agents.
    hubA = await startHub(target.database, { ...target.env, BACKUP_DIR: dirA });
    const adminA = new GraphQLClient(hubA.url);
    await adminA.login('admin@example.com', 'admin-password-123');
    const everything = await registerServer(adminA, {
      name: 'Everything',
      slug: 'everything',
      transport: 'STDIO',
      ...everythingStdio(),
      env: [{ name: 'UPSTREAM_TOKEN', value: 'env-secret-value' }],
    });
    const remote = await registerServer(adminA, {
      name: 'Remote',
      slug: 'remote',
      transport: 'STREAMABLE_HTTP',
      url: 'http://127.0.0.1:9/mcp',
      headers: [{ name: 'Authorization', value: 'Bearer header-secret-value' }],
    });
    const group = await createGroup(adminA, 'main', [everything.id, remote.id]);
    await adminA.data('mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }', {
      i: { groupId: group.id, name: 'no deletes', priority: 10, conditions: { tool: { glob: '*__delete_*' } }, action: { type: 'DENY', message: 'no' } },
    });
    await adminA.data('mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }', { i: { name: 'UPSTREAM_TOKEN', value: 'credential-secret-value' } });
    key = await createKey(adminA, { groupIds: [group.id] });
    const member = await createPerson(adminA, hubA.url, 'member@example.com');
    await createTeam(member, 'platform');
    memberKey = await createKey(member);
    const before = await connectStreamable(hubA.url, 'main', key.secret);
    expect(text(await before.callTool({ name: 'everything__echo', arguments: { message: 'before' } }))).toContain('before');
    await before.close();

    const created = await adminA.data<{ createBackup: BackupView }>(`mutation($p: String!){ createBackup(passphrase: $p){ ${BACKUP_FIELDS} } }`, { p: PASSPHRASE });
    backupA = created.createBackup;
    const res = await download(hubA, adminA, backupA.id);
    expect(res.status).toBe(200);
    archive = Buffer.from(await res.arrayBuffer());
    registry = hubA.app.get(SealedColumnRegistry);
    // The disaster: the database is gone. A new hub starts on an empty one (its own admin, its own catalog ids).
    await hubA.close();
    hubA = undefined;
    hubB = await startHub(target.database, { ...target.env, BACKUP_DIR: dirB });
    adminB = new GraphQLClient(hubB.url);
    await adminB.login('admin@example.com', 'admin-password-123');
    // Two hubs booted, a stdio server started and two scrypt derivations: generous on a loaded CI machine.
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await hubA?.close();
    await hubB?.close();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  it('should write an archive whose manifest counts every backed-up table and holds no secret in clear', () => {
    expect(archive.length).toBe(backupA.sizeBytes);
    const { manifest } = parseArchive(archive);
    const rows = Object.fromEntries(manifest.sections.map((s) => [s.name, s.rows]));
    expect(rows).toMatchObject({ users: 2, mcp_servers: 2, groups: 1, group_servers: 2, routing_rules: 1, api_keys: 2, teams: 1, team_members: 1, credentials: 1 });
    expect(manifest.kdf).toMatchObject({ name: 'scrypt', N: 2 ** hubB.config.backup.kdfCost, r: 8, p: 1 }); // BACKUP_KDF_COST, the same for both hubs (specs: 14)
    for (const secret of ['env-secret-value', 'header-secret-value', 'credential-secret-value', key.secret, 'admin-password-123']) expect(archive.includes(secret)).toBe(false);
  });

  describe('protections: a bad archive or passphrase changes nothing', () => {
    it('should refuse to store a truncated archive or a file that is not one', async () => {
      const truncated = await upload(hubB, adminB, archive.subarray(0, archive.length - 100));
      expect(truncated.status).toBe(400);
      expect(truncated.json.error).toMatchObject({ code: 'BAD_INPUT', reason: 'TRUNCATED', message: expect.stringMatching(/truncated/) });
      const junk = await upload(hubB, adminB, Buffer.from('{"not": "a backup"}\n'));
      expect(junk.json.error).toMatchObject({ reason: 'NOT_AN_ARCHIVE' });
      expect(await readdir(dirB).catch(() => [])).toEqual([]);
    });

    it('should say "wrong passphrase" and change nothing', async () => {
      const uploaded = (await upload(hubB, adminB, archive)).json as unknown as BackupView;
      const res = await adminB.request(RESTORE, { i: { backupId: uploaded.id, passphrase: 'not the passphrase', strategy: 'OVERWRITE', dryRun: false } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(reasonOf(res)).toBe('WRONG_PASSPHRASE');
      expect(res.errors?.[0]?.message).toMatch(/wrong passphrase/);
      expect(await counts(adminB)).toEqual({ servers: 0, groups: 0 });
      await adminB.data('mutation($id: ID!){ deleteBackup(id: $id) }', { id: uploaded.id });
    });

    it('should detect a changed payload byte, a changed manifest and a file changed on disk, and change nothing', async () => {
      const parsed = parseArchive(archive);
      const payloadFlipped = Buffer.from(archive);
      payloadFlipped[archive.length - parsed.payload.length + 40] ^= 0x01;
      const manifest: BackupManifest = { ...parsed.manifest, sections: parsed.manifest.sections.map((s) => (s.name === 'api_keys' ? { ...s, rows: s.rows - 1 } : s)) };
      const manifestChanged = Buffer.concat([Buffer.from('MCPHUB-BACKUP 1\n'), Buffer.from(JSON.stringify(manifest)), Buffer.from('\n'), parsed.payload]);
      for (const tampered of [payloadFlipped, manifestChanged]) {
        const uploaded = (await upload(hubB, adminB, tampered)).json as unknown as BackupView;
        const res = await adminB.request(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'OVERWRITE', dryRun: false } });
        expect(reasonOf(res)).toBe('TAMPERED');
        expect(res.errors?.[0]?.message).toMatch(/altered or damaged/);
        const verified = await adminB.data<{ verifyBackup: BackupView }>(`mutation($id: ID!, $p: String!){ verifyBackup(id: $id, passphrase: $p){ ${BACKUP_FIELDS} } }`, { id: uploaded.id, p: PASSPHRASE });
        expect(verified.verifyBackup).toMatchObject({ verifyOk: false, verifyMessage: expect.stringMatching(/altered or damaged/) });
        await adminB.data('mutation($id: ID!){ deleteBackup(id: $id) }', { id: uploaded.id });
      }
      // A stored archive whose file is cut short afterwards (a full disk, a bad copy): the stored checksum catches it.
      const uploaded = (await upload(hubB, adminB, archive)).json as unknown as BackupView;
      await writeFile(join(dirB, uploaded.fileName), archive.subarray(0, archive.length - 1));
      // Found before the passphrase is even tried (so a wrong one does not hide it).
      const res = await adminB.request(RESTORE, { i: { backupId: uploaded.id, passphrase: 'not the passphrase', strategy: 'OVERWRITE', dryRun: false } });
      expect(reasonOf(res)).toBe('TRUNCATED');
      expect(res.errors?.[0]?.message).toMatch(/changed since it was stored/);
      expect(await counts(adminB)).toEqual({ servers: 0, groups: 0 });
      await adminB.data('mutation($id: ID!){ deleteBackup(id: $id) }', { id: uploaded.id });
    });

    it('should roll everything back when a late table cannot be restored (one transaction)', async () => {
      // Same key and passphrase, but the catalog (restored after users, servers, groups and keys) has a column
      // this hub does not know: the rows restored before it must not stay.
      const parsed = parseArchive(archive);
      const { key, sections } = await openArchive(parsed, PASSPHRASE);
      const [first, ...rest] = sections.catalog_entries;
      const broken = writeArchive({
        hubVersion: parsed.manifest.hubVersion,
        schema: parsed.manifest.schema,
        scope: parsed.manifest.scope,
        createdAt: new Date(),
        key,
        kdf: parsed.manifest.kdf,
        sections: { ...sections, catalog_entries: [{ ...first, from_the_future: true }, ...rest] },
      });
      const uploaded = (await upload(hubB, adminB, broken)).json as unknown as BackupView;
      const res = await adminB.request(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'OVERWRITE', dryRun: false } });
      expect(reasonOf(res)).toBe('INCOMPATIBLE');
      expect(res.errors?.[0]?.message).toMatch(/column "from_the_future"/);
      expect(await counts(adminB)).toEqual({ servers: 0, groups: 0 });
      // The new hub's own admin is still there (the archived one would have replaced it).
      await new GraphQLClient(hubB.url).login('admin@example.com', 'admin-password-123');
      expect(errorCode(await adminB.request('{ backups { id } }'))).toBeUndefined();
      await adminB.data('mutation($id: ID!){ deleteBackup(id: $id) }', { id: uploaded.id });
    });
  });

  describe('disaster restore into the new hub', () => {
    let uploaded: BackupView;
    let report: ReportView;

    beforeAll(async () => {
      const res = await upload(hubB, adminB, archive);
      expect(res.status).toBe(201);
      uploaded = res.json as unknown as BackupView;
    });

    it('should verify the uploaded archive with its passphrase', async () => {
      const { verifyBackup } = await adminB.data<{ verifyBackup: BackupView }>(`mutation($id: ID!, $p: String!){ verifyBackup(id: $id, passphrase: $p){ ${BACKUP_FIELDS} } }`, {
        id: uploaded.id,
        p: PASSPHRASE,
      });
      expect(verifyBackup).toMatchObject({ verifyOk: true, totalRows: backupA.totalRows });
    });

    it('should report in a dry run what it would create and replace, and change nothing', async () => {
      const { restoreBackup } = await adminB.data<{ restoreBackup: ReportView }>(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'OVERWRITE' } });
      expect(restoreBackup.dryRun).toBe(true);
      expect(restoreBackup.tables).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'mcp_servers', created: 2 }), expect.objectContaining({ table: 'groups', created: 1 })]));
      // The new hub's own admin holds the same email: replaced by the archived one (whose rows own everything).
      expect(restoreBackup.items).toContainEqual(expect.objectContaining({ table: 'users', action: 'REPLACE', reason: expect.stringContaining('email = admin@example.com') }));
      expect(restoreBackup.skipped).toBe(0);
      expect(await counts(adminB)).toEqual({ servers: 0, groups: 0 });
      // With SKIP the archived admin is left out, and so is everything it owns: the report says so before anything changes.
      const skip = (await adminB.data<{ restoreBackup: ReportView }>(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'SKIP' } })).restoreBackup;
      expect(skip.items).toContainEqual(expect.objectContaining({ table: 'users', action: 'SKIP', reason: expect.stringContaining('email = admin@example.com') }));
      expect(skip.items).toContainEqual(expect.objectContaining({ table: 'mcp_servers', action: 'SKIP', reason: expect.stringMatching(/not in the hub/) }));
    });

    it('should restore in one transaction, audited, and let an agent with an old key call a tool again', async () => {
      report = (await adminB.data<{ restoreBackup: ReportView }>(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'OVERWRITE', dryRun: false } })).restoreBackup;
      expect(report).toMatchObject({ dryRun: false, skipped: 0 });
      const agent = await connectStreamable(hubB.url, 'main', key.secret);
      clients.push(agent);
      expect(text(await agent.callTool({ name: 'everything__echo', arguments: { message: 'after restore' } }))).toContain('after restore');
      // The member's key works again too, and the restored admin signs in with the password it had.
      const memberAgent = await fetch(`${hubB.url}/mcp/main`, { method: 'POST', headers: { authorization: `Bearer ${memberKey.secret}`, 'content-type': 'application/json' }, body: '{}' });
      expect(memberAgent.status).not.toBe(401);
      await adminB.login('admin@example.com', 'admin-password-123');
      const audit = await adminB.data<{ auditLog: { nodes: { action: string; outcome: string; changes: { entity: string; fields: { name: string }[] }[] }[] } }>(
        '{ auditLog(filter: { action: "restoreBackup" }, first: 20){ nodes { action outcome changes { entity fields { name } } } } }',
      );
      const applied = audit.auditLog.nodes.find((n) => n.changes.length > 0);
      expect(applied).toMatchObject({ outcome: 'SUCCESS', changes: [expect.objectContaining({ fields: expect.arrayContaining([expect.objectContaining({ name: 'lastRestore' })]) })] });
      const wrong = audit.auditLog.nodes.filter((n) => n.outcome !== 'SUCCESS');
      expect(wrong.length).toBeGreaterThan(0);
    });

    it('should hold exactly the configuration that was backed up (a backup of the new hub opens to the same rows)', async () => {
      const { createBackup } = await adminB.data<{ createBackup: BackupView }>(`mutation($p: String!){ createBackup(passphrase: $p){ ${BACKUP_FIELDS} } }`, { p: PASSPHRASE });
      const again = Buffer.from(await (await download(hubB, adminB, createBackup.id)).arrayBuffer());
      const before = await configurationOf(archive, registry);
      const after = await configurationOf(again, hubB.app.get(SealedColumnRegistry));
      // Only the time the key was last used moves: the agent above just used it.
      const withoutLastUse = (c: Record<string, unknown[]>) => ({ ...c, api_keys: c.api_keys.map((k) => ({ ...(k as object), last_used_at: null })) });
      expect(withoutLastUse(after)).toEqual(withoutLastUse(before));
    });

    it('should find everything unchanged when the same archive is restored again', async () => {
      const { restoreBackup } = await adminB.data<{ restoreBackup: ReportView }>(RESTORE, { i: { backupId: uploaded.id, passphrase: PASSPHRASE, strategy: 'SKIP' } });
      expect(restoreBackup.created).toBe(0);
      expect(restoreBackup.unchanged).toBeGreaterThan(0);
      const { backups } = await adminB.data<{ backups: BackupView[] }>(`{ backups { ${BACKUP_FIELDS} } }`);
      expect(backups.find((b) => b.id === uploaded.id)?.lastRestore).toMatchObject({ strategy: 'OVERWRITE', created: report.created });
    });
  });

  it('should list the archives a new hub finds in a BACKUP_DIR that survived, ready to verify and restore', async () => {
    const hubC = await startHub(target.database, { ...target.env, BACKUP_DIR: dirA });
    try {
      const adminC = new GraphQLClient(hubC.url);
      await adminC.login('admin@example.com', 'admin-password-123');
      const { backups } = await adminC.data<{ backups: (BackupView & { source: string; sha256: string })[] }>(`{ backups { ${BACKUP_FIELDS} } }`);
      expect(backups).toEqual([expect.objectContaining({ fileName: backupA.fileName, source: 'FOUND', totalRows: backupA.totalRows })]);
      const { verifyBackup } = await adminC.data<{ verifyBackup: BackupView }>(`mutation($id: ID!, $p: String!){ verifyBackup(id: $id, passphrase: $p){ ${BACKUP_FIELDS} } }`, {
        id: backups[0].id,
        p: PASSPHRASE,
      });
      expect(verifyBackup.verifyOk).toBe(true);
    } finally {
      await hubC.close();
    }
  }, 120_000);

  it('should refuse whole-hub backups and their files to a member (who sees only personal backups of their own)', async () => {
    const member = await createPerson(adminB, hubB.url, 'someone@example.com');
    expect(errorCode(await member.request(`mutation{ createBackup(passphrase: "${PASSPHRASE}"){ id } }`))).toBe('FORBIDDEN');
    expect((await member.data<{ backups: unknown[] }>('{ backups { id } }')).backups).toEqual([]);
    expect((await upload(hubB, member, archive)).status).toBe(403);
    const { backups } = await adminB.data<{ backups: { id: string }[] }>('{ backups { id } }');
    expect((await download(hubB, member, backups[0].id)).status).toBe(404);
    expect((await fetch(`${hubB.url}/backups/upload`, { method: 'POST', body: new Uint8Array(archive) })).status).toBe(401);
  });
});
