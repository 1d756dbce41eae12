import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { keyIdOf, type HubConfig } from '#core';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { hubTargetRows, type HubTarget } from '../support/hub-targets.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { testConfig } from '../support/test-config.js';
import { startStatelessUpstream, type StatelessUpstream } from '../support/stateless-upstream.js';
import { everythingStdio, waitFor } from '../support/upstreams.js';

interface Rotation {
  id: string;
  keyId: string;
  state: string;
  total: number;
  done: number;
  errors: number;
}
interface Key {
  id: string;
  kind: string;
  state: string | null;
  sealsNewValues: boolean;
  ciphertexts: number;
}

const ROTATION_FIELDS = 'id keyId state total done errors lastError';
const ENV_SECRET = `env-secret-${randomBytes(6).toString('hex')}`;
const HEADER_SECRET = `header-secret-${randomBytes(6).toString('hex')}`;
/** Servers that are never called, only there to give the rotation many rows to go through in small batches. */
const FILLERS = 25;

/** A hub on an existing database: the spec boots several in turn on one database (fresh boots, crash, new master). */
async function bootHub(target: HubTarget, databaseUrl: string, env: Record<string, string>): Promise<{ app: INestApplication; config: HubConfig; url: string }> {
  const config = testConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(target.database.poolSize), ...target.env, ...env });
  const app = await createHubApp(config, { schemaFile: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  config.http.publicUrl = url;
  config.http.allowedOrigins = [url];
  return { app, config, url };
}

describe.each(hubTargetRows)('encryption key rotation on %s', (_name, target) => {
  let db: { url: string; dispose(): Promise<void> };
  let hub: { app: INestApplication; config: HubConfig; url: string } | undefined;
  let worker: INestApplicationContext | undefined;
  let admin: GraphQLClient;
  let upstream: StatelessUpstream;
  let apiKey: string;
  const master = randomBytes(32);
  const masterEnv = { HUB_ENCRYPTION_KEY: master.toString('base64') };
  // Small, spaced batches: the rotation lasts long enough for calls to overlap it and for a crash to land inside it.
  const rotationEnv = { KEY_ROTATION_BATCH_SIZE: '2', KEY_ROTATION_BATCH_DELAY_MS: '60', KEY_ROTATION_ACTIVATION_DELAY_MS: '300' };

  async function start(env: Record<string, string> = {}) {
    hub = await bootHub(target, db.url, { ...rotationEnv, ...masterEnv, ...env });
    if (!target.inProcessJobs) {
      const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(hub.config)] }).compile();
      worker = await moduleRef.init();
    }
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
  }
  async function stop() {
    await worker?.close();
    worker = undefined;
    await hub?.app.close();
    hub = undefined;
  }
  const sql = <T>(query: string, params: unknown[] = []) => hub!.app.get(DataSource).query(query, params) as Promise<T[]>;
  /** The key id every stored ciphertext of the servers names, whatever the column. */
  const keyIdsInUse = async () =>
    (
      await sql<{ k: string }>(
        `SELECT DISTINCT split_part(e->>'value', '.', 2) AS k FROM (SELECT env AS c FROM server_endpoints UNION ALL SELECT headers FROM server_endpoints) s, jsonb_array_elements(s.c) e`,
      )
    ).map((r) => r.k);
  const rotation = async () => (await admin.data<{ keyRotation: Rotation | null }>(`{ keyRotation { ${ROTATION_FIELDS} } }`)).keyRotation;
  const keys = async () => (await admin.data<{ encryptionKeys: Key[] }>('{ encryptionKeys { id kind state sealsNewValues createdAt ciphertexts ciphertextsByColumn { column count } } }')).encryptionKeys;
  const rotate = async () => (await admin.data<{ rotateEncryptionKey: Rotation }>(`mutation { rotateEncryptionKey { ${ROTATION_FIELDS} } }`)).rotateEncryptionKey;
  const finished = (id: string) =>
    waitFor(
      async () => {
        const r = await rotation();
        return r?.id === id && r.state !== 'RUNNING' ? r : null;
      },
      60_000,
      'the rotation to finish',
    );
  /** A call through the hub needs the stdio server's sealed env opened, and (once it has run) its boot-time health check settled. */
  const expectSecretsServed = async () => {
    const agent = await connectStreamable(hub!.url, 'rot', apiKey);
    const res = await agent.callTool({ name: 'local__get-env', arguments: {} });
    expect((res.content as { text: string }[])[0].text).toContain(ENV_SECRET);
    await agent.close();
  };
  const retire = (id: string) => admin.request<{ retireEncryptionKey: Key }>('mutation($id: ID!){ retireEncryptionKey(id: $id){ id state ciphertexts } }', { id });

  beforeAll(async () => {
    db = await target.database.create({ migrated: true });
    upstream = await startStatelessUpstream('dual');
    await start();
    const http = await registerServer(admin, {
      name: 'remote',
      transport: 'STREAMABLE_HTTP',
      url: upstream.url,
      headers: [{ name: 'x-upstream-token', value: HEADER_SECRET }],
    });
    const local = await registerServer(admin, { name: 'local', transport: 'STDIO', ...everythingStdio(), env: [{ name: 'ROTATION_SECRET', value: ENV_SECRET }] });
    for (let i = 0; i < FILLERS; i++) {
      await registerServer(admin, {
        name: `filler-${i}`,
        transport: 'STREAMABLE_HTTP',
        url: upstream.url,
        enabled: false,
        headers: [
          { name: 'x-a', value: `filler-a-${i}` },
          { name: 'x-b', value: `filler-b-${i}` },
        ],
      });
    }
    // Health probes connect too: the remote one is probed now, then not for a day, so any later connection is a reconnect.
    const rescheduled = Date.now();
    await admin.data('mutation($s: ID!){ updateServerBalancing(serverId: $s, input: { healthCheckIntervalSeconds: 86400 }){ id } }', { s: http.id });
    await waitFor(
      async () => {
        const { server } = await admin.data<{ server: { health: { checkedAt: string }[] } }>('query($id: ID!){ server(id: $id){ health { checkedAt } } }', { id: http.id });
        return server.health.some((h) => Date.parse(h.checkedAt) >= rescheduled);
      },
      30_000,
      'the remote server to be probed once more',
    );
    const group = await createGroup(admin, 'rot', [http.id, local.id]);
    apiKey = (await createKey(admin, { groupIds: [group.id] })).secret;
  }, 120_000);

  afterAll(async () => {
    await stop();
    await upstream?.stop();
    await db?.dispose();
  });

  it('should re-seal every secret online while agents keep calling: no failed call, no upstream reconnect, no ciphertext left under the old key', async () => {
    const agents: Client[] = await Promise.all([1, 2, 3].map(() => connectStreamable(hub!.url, 'rot', apiKey)));
    const call = async (agent: Client, i: number) => {
      const res =
        i % 2 === 0
          ? await agent.callTool({ name: 'local__get-env', arguments: {} })
          : await agent.callTool({ name: 'remote__locate', arguments: { region: 'eu' } });
      const text = (res.content as { text?: string }[])[0]?.text ?? '';
      if (res.isError || (i % 2 === 0 ? !text.includes(ENV_SECRET) : !text.includes('region eu'))) throw new Error(`bad answer: ${text.slice(0, 200)}`);
    };
    // Warm up: every upstream connection is open before the rotation starts.
    for (const agent of agents) for (const i of [0, 1]) await call(agent, i);
    const setupRequests = () => upstream.seen.filter((s) => s.method !== 'tools/call').length;
    const setupBefore = setupRequests();
    expect(await keyIdsInUse()).toEqual([keyIdOf(master)]);

    let running = true;
    let calls = 0;
    let callsDuringRotation = 0;
    const failures: string[] = [];
    let rotating = false;
    const load = agents.map(async (agent) => {
      for (let i = 0; running; i++) {
        try {
          await call(agent, i);
          calls++;
          if (rotating) callsDuringRotation++;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    });

    rotating = true;
    const started = await rotate();
    expect(started).toMatchObject({ state: 'RUNNING', done: 0 });
    expect(started.total).toBe(2 + 2 * FILLERS);
    const done = await finished(started.id);
    rotating = false;
    running = false;
    await Promise.all(load);
    await Promise.all(agents.map((a) => a.close()));

    expect(failures).toEqual([]);
    expect(callsDuringRotation).toBeGreaterThan(10);
    expect(calls).toBeGreaterThan(callsDuringRotation);
    expect(done).toMatchObject({ state: 'DONE', done: started.total, errors: 0 });
    // Re-sealing changed no plaintext: the hub kept its upstream connections.
    expect(setupRequests()).toBe(setupBefore);
    expect(upstream.seen.filter((s) => s.headers['x-upstream-token'] !== HEADER_SECRET)).toEqual([]);
    // Raw SQL: every ciphertext names the new key, and so does the count the API gives.
    expect(await keyIdsInUse()).toEqual([started.keyId]);
    const after = await keys();
    expect(after.find((k) => k.id === started.keyId)).toMatchObject({ kind: 'DATA', state: 'CURRENT', sealsNewValues: true, ciphertexts: started.total });
    expect(after.find((k) => k.id === keyIdOf(master))).toMatchObject({ kind: 'MASTER', state: 'CURRENT', sealsNewValues: false, ciphertexts: 0 });
    // The data key is stored wrapped under the master key, never in clear.
    const [stored] = await sql<{ sealed_key: string }>('SELECT sealed_key FROM encryption_keys WHERE id = $1', [started.keyId]);
    expect(stored.sealed_key.split('.')[1]).toBe(keyIdOf(master));
  }, 120_000);

  it('should let a freshly booted hub read every secret and serve calls', async () => {
    await stop();
    await start();
    const { servers } = await admin.data<{ servers: { slug: string; env: { maskedValue: string }[]; headers: { maskedValue: string }[] }[] }>(
      '{ servers(first: 100) { slug env { maskedValue } headers { maskedValue } } }',
    );
    expect(servers).toHaveLength(2 + FILLERS);
    const masks = servers.flatMap((s) => [...s.env, ...s.headers].map((e) => e.maskedValue));
    expect(masks.filter((m) => m.includes('unreadable'))).toEqual([]);
    await expectSecretsServed();
  });

  it('should refuse to retire a key while ciphertexts use it, and retire it for good once none do', async () => {
    const first = (await keys()).find((k) => k.sealsNewValues)!;
    expect((await retire('nothex!')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await retire('0badc0de')).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    const masterRefusal = await retire(keyIdOf(master));
    expect(masterRefusal.errors?.[0].message).toMatch(/is a master key: replace it by setting a new HUB_ENCRYPTION_KEY/);
    expect((await retire(first.id)).errors?.[0].message).toMatch(/is the current key: rotate to a new key first/);

    const second = await rotate();
    // While the rotation is under way the old key still seals values: refused, with the counts.
    await waitFor(async () => ((await rotation())!.done > 0 ? true : null), 30_000, 'the rotation to make progress');
    const refused = await retire(first.id);
    expect(errorCode(refused)).not.toBeUndefined();
    expect(refused.errors?.[0].message).toMatch(new RegExp(`Encryption key ${first.id} still seals \\d+ ciphertext\\(s\\) \\(server_endpoints\\.(env|headers): \\d+`));
    expect((await keys()).find((k) => k.id === first.id)!.state).toBe('PREVIOUS');

    expect(await finished(second.id)).toMatchObject({ state: 'DONE', errors: 0 });
    const retired = await retire(first.id);
    expect(retired.errors).toBeUndefined();
    expect(retired.data!.retireEncryptionKey).toMatchObject({ id: first.id, state: 'RETIRED', ciphertexts: 0 });
    const [row] = await sql<{ sealed_key: string | null; state: string }>('SELECT sealed_key, state FROM encryption_keys WHERE id = $1', [first.id]);
    expect(row).toEqual({ sealed_key: null, state: 'RETIRED' });
    expect((await retire(first.id)).errors?.[0].message).toMatch(/already retired/);
  }, 90_000);

  it('should resume a rotation interrupted by a shutdown where it stopped', async () => {
    const before = (await keys()).find((k) => k.sealsNewValues)!.id;
    const started = await rotate();
    const partial = await waitFor(async () => {
      const r = await rotation();
      return r && r.done > 0 ? r : null;
    }, 30_000, 'the rotation to make progress');
    expect(partial.state).toBe('RUNNING');
    await stop();

    await start();
    // Nothing was lost or counted twice, and the old key is no longer named anywhere.
    const done = await finished(started.id);
    expect(done).toMatchObject({ state: 'DONE', done: started.total, errors: 0 });
    expect(await keyIdsInUse()).toEqual([started.keyId]);
    expect(before).not.toBe(started.keyId);
  }, 120_000);

  it('should rewrap data keys when the master key is replaced, and stop the boot with a clear message under a wrong master key', async () => {
    await stop();
    const newMaster = randomBytes(32);
    await start({ HUB_ENCRYPTION_KEY: newMaster.toString('base64'), HUB_ENCRYPTION_PREVIOUS_KEYS: master.toString('base64') });
    const wraps = await sql<{ m: string }>(`SELECT DISTINCT split_part(sealed_key, '.', 2) AS m FROM encryption_keys WHERE sealed_key IS NOT NULL`);
    expect(wraps).toEqual([{ m: keyIdOf(newMaster) }]);
    await expectSecretsServed();
    await stop();

    // The old master key is no longer needed.
    await start({ HUB_ENCRYPTION_KEY: newMaster.toString('base64') });
    await expectSecretsServed();
    await stop();

    const wrong = randomBytes(32);
    const config = testConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(target.database.poolSize), ...target.env, HUB_ENCRYPTION_KEY: wrong.toString('base64') });
    const refused = await createHubApp(config, { schemaFile: false });
    await expect(refused.init()).rejects.toThrow(
      new RegExp(`wrapped with master key id "${keyIdOf(newMaster)}", which is neither HUB_ENCRYPTION_KEY \\(id ${keyIdOf(wrong)}\\) nor in HUB_ENCRYPTION_PREVIOUS_KEYS`),
    );
    await refused.close().catch(() => undefined);
  }, 120_000);
});
