import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { MIGRATIONS, SecretBox, dataSourceOptions } from '#core';
import { Role, UsersService } from '#users';
import { ServersService } from '#servers';
import { createHubApp } from '../../apps/hub/src/create-hub-app.js';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey } from '../support/hub-fixtures.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { testConfig } from '../support/test-config.js';
import { everythingStdio, startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

const MIGRATION = 'ServerEndpoints1795884000000';
const BEFORE = MIGRATIONS.findIndex((m) => m.name === MIGRATION);
const DEAD_URL = 'http://127.0.0.1:9/mcp';
const SECRETS = { stdioEnv: 'legacy-env-value-7c41', primaryHeader: 'Bearer legacy-primary-2b9e', replicaHeader: 'legacy-replica-header-55d0' };

/**
 * Data written by hubs before servers and endpoints were split (transport columns on mcp_servers, extra instances
 * in server_replicas), sealed as those hubs sealed it: after the migration the hub opens every secret and serves
 * calls with them, and the down() puts the old shape back byte for byte.
 */
describe.each(databaseTargets.map((t) => [t.name, t] as const))('the server_endpoints migration on %s', (_name, target) => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const ids = { owner: randomUUID(), stdio: randomUUID(), http: randomUUID(), replica: randomUUID() };
  let db: { url: string; dispose(): Promise<void> };
  let upstream: RunningUpstream;
  let app: INestApplication | undefined;
  let agent: Client | undefined;
  let before: { servers: Record<string, unknown>[]; replicas: Record<string, unknown>[] };

  const dataSource = (migrations: (typeof MIGRATIONS)[number][]) => new DataSource({ ...dataSourceOptions(db.url, target.poolSize), migrations }).initialize();
  const oldShape = async (ds: DataSource) => ({
    servers: await ds.query(
      `SELECT id, transport, command, args, cwd, url, env::text AS env, headers::text AS headers, weight, priority FROM mcp_servers ORDER BY slug`,
    ),
    replicas: await ds.query(`SELECT row_to_json(r)::text AS json FROM server_replicas r ORDER BY id`),
  });

  beforeAll(async () => {
    upstream = await startEverythingHttp('streamableHttp');
    db = await target.create();
    const old = await dataSource(MIGRATIONS.slice(0, BEFORE));
    try {
      await old.runMigrations();
      const seal = (id: string, kind: string, name: string, value: string) => JSON.stringify([{ name, value: box.seal(value, `server:${id}:${kind}:${name}`) }]);
      await old.query(`INSERT INTO users (id, email, role) VALUES ($1, 'legacy-owner@example.com', 'ADMIN')`, [ids.owner]);
      await old.query(
        `INSERT INTO mcp_servers (id, name, slug, transport, command, args, env, owner_id, weight, priority) VALUES ($1, 'Legacy stdio', 'legacy-stdio', 'STDIO', $2, $3, $4, $5, 3, 0)`,
        [ids.stdio, everythingStdio().command, everythingStdio().args, seal(ids.stdio, 'env', 'API_TOKEN', SECRETS.stdioEnv), ids.owner],
      );
      // The primary is dead and in the second tier: calls can only be served by the replica.
      await old.query(
        `INSERT INTO mcp_servers (id, name, slug, transport, url, headers, owner_id, load_balancing, weight, priority) VALUES ($1, 'Legacy http', 'legacy-http', 'STREAMABLE_HTTP', $2, $3, $4, 'WEIGHTED', 2, 1)`,
        [ids.http, DEAD_URL, seal(ids.http, 'header', 'Authorization', SECRETS.primaryHeader), ids.owner],
      );
      await old.query(
        `INSERT INTO server_replicas (id, server_id, name, transport, url, headers, weight, priority) VALUES ($1, $2, 'live', 'STREAMABLE_HTTP', $3, $4, 5, 0)`,
        [ids.replica, ids.http, upstream.url, seal(ids.replica, 'header', 'X-Replica-Key', SECRETS.replicaHeader)],
      );
      before = await oldShape(old);
    } finally {
      await old.destroy();
    }
  });
  afterAll(async () => {
    await agent?.close();
    await app?.close();
    await upstream?.stop();
    await db?.dispose();
  });

  it('should move each server into a primary endpoint of its own id and keep the replicas, so the hub opens every secret and serves calls', async () => {
    // The hub applies the pending migration at boot, as an upgrade would.
    app = await createHubApp(testConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(target.poolSize), HUB_ENCRYPTION_KEY: key.toString('base64') }), { schemaFile: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const ds = app.get(DataSource);
    expect(await ds.query(`SELECT id, server_id AS "serverId", "primary", name FROM server_endpoints ORDER BY "primary" DESC, name`)).toEqual(
      expect.arrayContaining([
        { id: ids.stdio, serverId: ids.stdio, primary: true, name: 'primary' },
        { id: ids.http, serverId: ids.http, primary: true, name: 'primary' },
        { id: ids.replica, serverId: ids.http, primary: false, name: 'live' },
      ]),
    );
    // Health history, routing rules and metrics name the primary by its server's id: the database keeps it so.
    await expect(
      ds.query(`INSERT INTO server_endpoints (id, server_id, "primary", name, transport, url) VALUES ($1, $2, true, 'second-primary', 'SSE', $3)`, [randomUUID(), ids.http, DEAD_URL]),
    ).rejects.toThrow(/server_endpoints_primary_has_server_id/);

    const resolved = await app.get(ServersService).resolveOne(ids.http);
    expect(resolved?.transport).toEqual({ type: 'streamable-http', url: DEAD_URL, headers: { Authorization: SECRETS.primaryHeader }, egress: 'unrestricted' });
    expect(resolved?.replicas.map(({ id, primary, weight, priority }) => ({ id, primary, weight, priority }))).toEqual([
      { id: ids.http, primary: true, weight: 2, priority: 1 },
      { id: ids.replica, primary: false, weight: 5, priority: 0 },
    ]);
    expect(resolved?.replicas[1].transport).toMatchObject({ url: upstream.url, headers: { 'X-Replica-Key': SECRETS.replicaHeader } });

    // The API clients use is unchanged: the server shows its primary's transport, `replicas` the others.
    await app.get(UsersService).create({ email: 'admin@example.com', password: 'admin-password-123', role: Role.ADMIN }, { passwordChangeRequired: false });
    const admin = new GraphQLClient(url);
    await admin.login('admin@example.com', 'admin-password-123');
    const { server } = await admin.data<{ server: Record<string, unknown> }>(
      'query($id: ID!){ server(id: $id){ transport url weight priority headers { name maskedValue } replicas { id name url weight priority headers { name maskedValue } } } }',
      { id: ids.http },
    );
    expect(server).toEqual({
      transport: 'STREAMABLE_HTTP',
      url: DEAD_URL,
      weight: 2,
      priority: 1,
      headers: [{ name: 'Authorization', maskedValue: '••••9e' }],
      replicas: [{ id: ids.replica, name: 'live', url: upstream.url, weight: 5, priority: 0, headers: [{ name: 'X-Replica-Key', maskedValue: '••••d0' }] }],
    });

    const group = await createGroup(admin, 'legacy', [ids.stdio, ids.http]);
    agent = await connectStreamable(url, group.slug, (await createKey(admin, { groupIds: [group.id] })).secret);
    const env = await agent.callTool({ name: 'legacy-stdio__get-env', arguments: {} });
    expect(JSON.stringify(env.content)).toContain(SECRETS.stdioEnv);
    const echo = await agent.callTool({ name: 'legacy-http__echo', arguments: { message: 'through the replica' } });
    expect(echo.isError).toBeFalsy();
    expect(JSON.stringify(echo.content)).toContain('through the replica');
  });

  it('should put the old shape back on down(): transport columns on mcp_servers, the replicas in server_replicas, ciphertexts unchanged', async () => {
    await agent?.close();
    agent = undefined;
    await app?.close();
    app = undefined;
    const ds = await dataSource(MIGRATIONS);
    try {
      while ((await ds.query(`SELECT 1 FROM migrations WHERE name = $1`, [MIGRATION])).length) await ds.undoLastMigration();
      expect(await oldShape(ds)).toEqual(before);
      expect((await ds.query(`SELECT to_regclass('server_endpoints') AS t`))[0].t).toBeNull();
    } finally {
      await ds.destroy();
    }
  });
});
