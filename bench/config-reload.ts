// The cost of applying one configuration change on a hub with many servers and groups: how long until the
// gateway view serves it (the publishing mutation waits for that), how many SQL queries it takes and how many
// servers' secrets are opened, including what other subscribers (health schedules) do in the background.
// Run from the TypeScript sources, in one process, so queries and secret openings can be counted:
//   npm run bench:config-reload
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and Redis
// (BENCH_REDIS_URL, default redis://127.0.0.1:6379/10: it is flushed).
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ConfigChangeBus } from '#core';
import { createHubApp } from '../apps/hub/src/create-hub-app.js';
import { ServerSecrets } from '../libs/servers/src/server-secrets.js';
import { testConfig } from '../test/support/test-config.js';
import { gqlAt } from './hub-graphql.js';
import { median } from './load.js';
import { createDatabase } from './loadtest-hub.js';

const SERVERS = Number(process.env.BENCH_SERVERS ?? 200);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/10';

/** Every query any pg client of this process sends (TypeORM's pool included). */
let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

/** Resolves once no query was sent for `quietMs`: background subscribers have finished. */
async function settled(quietMs = 150): Promise<void> {
  let last = -1;
  while (last !== queries) {
    last = queries;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

async function main() {
  const database = await createDatabase(ADMIN_URL);
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  await redis.quit();
  const config = testConfig({ DATABASE_URL: database.url, REDIS_URL, DATABASE_POOL_SIZE: '10' });
  const app = await createHubApp(config, { schemaFile: false });
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const { login } = await gqlAt(port, 'mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }', { e: 'admin@example.com', p: 'admin-password-123' });
    const gql = (q: string, v: Record<string, unknown>) => gqlAt(port, q, v, login.accessToken as string);
    const serverIds: string[] = [];
    for (let i = 0; i < SERVERS; i++) {
      const { registerServer } = await gql('mutation($i: RegisterServerInput!){ registerServer(input:$i){ id } }', {
        i: { name: `s${i}`, slug: `s${i}`, transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${1 + i}/mcp`, headers: [{ name: 'Authorization', value: `Bearer ${i}` }] },
      });
      serverIds.push(registerServer.id as string);
    }
    const groupIds: string[] = [];
    for (let g = 0; g < GROUPS; g++) {
      const { createGroup } = await gql('mutation($i: CreateGroupInput!){ createGroup(input:$i){ id } }', { i: { name: `g${g}`, slug: `g${g}` } });
      groupIds.push(createGroup.id as string);
      for (let k = 0; k < SERVERS / GROUPS; k++) {
        await gql('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId:$g, serverId:$s){ id } }', { g: createGroup.id, s: serverIds[g * (SERVERS / GROUPS) + k] });
      }
    }
    await settled();

    let opened = 0;
    const secrets = app.get(ServerSecrets);
    const transportConfig = secrets.transportConfig.bind(secrets);
    secrets.transportConfig = (endpoint) => (opened++, transportConfig(endpoint));
    const bus = app.get(ConfigChangeBus);

    type Sample = { viewMs: number; viewQueries: number; totalQueries: number; opened: number };
    const measure = async (label: string, run: (round: number) => Promise<unknown>) => {
      const samples: Sample[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await settled();
        const [q0, o0] = [queries, opened];
        const started = performance.now();
        await run(round);
        const viewMs = performance.now() - started;
        const viewQueries = queries - q0;
        await settled();
        samples.push({ viewMs, viewQueries, totalQueries: queries - q0, opened: opened - o0 });
      }
      const m = (pick: (s: Sample) => number) => median(samples.map(pick));
      console.log(
        `${label.padEnd(44)} median ${m((s) => s.viewMs).toFixed(1).padStart(7)} ms | queries until applied ${m((s) => s.viewQueries)} | queries incl. background ${m((s) => s.totalQueries)} | secrets opened ${m((s) => s.opened)}`,
      );
    };

    console.log(`${SERVERS} servers, ${GROUPS} groups, ${ROUNDS} rounds each (PostgreSQL + Redis, one hub)`);
    await measure('bus: one server changed', (r) => bus.publish({ kind: 'server', id: serverIds[r % SERVERS] }));
    await measure('bus: one group changed', (r) => bus.publish({ kind: 'group', id: groupIds[r % GROUPS] }));
    await measure('bus: every server (`*`)', () => bus.publish({ kind: 'server', id: '*' }));
    await measure('GraphQL updateServer (url)', (r) =>
      gql('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id:$id, input:$i){ id } }', { id: serverIds[r % SERVERS], i: { url: `http://127.0.0.1:${20000 + r}/mcp` } }),
    );
    await measure('GraphQL updateGroup (name)', (r) => gql('mutation($id: ID!, $i: UpdateGroupInput!){ updateGroup(id:$id, input:$i){ id } }', { id: groupIds[r % GROUPS], i: { name: `renamed ${r}` } }));
  } finally {
    await app.close();
    await database.drop();
  }
}

await main();
