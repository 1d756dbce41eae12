// The load test's hub side: a database of its own on PostgreSQL, the Redis database it is given (flushed), the echo
// upstreams, and 50 users each with a key on one group, set up through the public GraphQL API.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { hubArgs } from './hub-command.js';
import { start } from './processes.js';

export interface Database {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database next to `adminUrl`'s, dropped (with its connections) at the end. */
export async function createDatabase(adminUrl: string): Promise<Database> {
  const name = `mcphub_loadtest_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Empties the given Redis database only (quota counters and sessions of an earlier run). */
export async function flushRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

export const ADMIN = { email: 'loadtest@example.com', password: 'loadtest-password-123' };
const USER_PASSWORD = 'loadtest-user-password-1';

/** `nodeArgs`: for profiling the hub under load (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof). */
/** `cwd`: another built checkout's hub (the bench's before/after targets). */
export function startHub(port: number, dataDir: string, databaseUrl: string, redisUrl: string, logLevel: string, nodeArgs: string[], cwd?: string): Promise<ChildProcess> {
  return start(process.execPath, hubArgs(nodeArgs), {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: logLevel,
  }, /MCP Hub listening/i, 120_000, cwd);
}

class Gql {
  constructor(
    private readonly url: string,
    private token?: string,
  ) {}

  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data!;
  }

  async login(email: string, password: string): Promise<this> {
    const { login } = await this.data<{ login: { accessToken: string } }>('mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken } }', { e: email, p: password });
    this.token = login.accessToken;
    return this;
  }
}

export interface Upstream {
  slug: string;
  input: Record<string, unknown>;
}

/**
 * A group with the upstreams (PREFIX_ALWAYS: tools are `<server>__echo`), shared with a team of `users` members,
 * each of whom creates one key for it with quotas far above what the run can use (so the Redis charge is on the
 * path but never refuses). Returns the group's slug and the keys.
 */
export async function setUpUsers(hubUrl: string, upstreams: Upstream[], users: number): Promise<{ group: string; keys: string[] }> {
  const admin = await new Gql(hubUrl).login(ADMIN.email, ADMIN.password);
  const group = 'loadtest';
  const { createGroup } = await admin.data('mutation($i: CreateGroupInput!){ createGroup(input:$i){ id } }', { i: { name: group, slug: group, toolNaming: 'PREFIX_ALWAYS' } });
  for (const upstream of upstreams) {
    const { registerServer } = await admin.data('mutation($i: RegisterServerInput!){ registerServer(input:$i){ id } }', { i: upstream.input });
    await admin.data('mutation($g: ID!, $s: ID!){ addServerToGroup(groupId:$g, serverId:$s){ id } }', { g: createGroup.id, s: registerServer.id });
  }
  const { createTeam } = await admin.data('mutation($i: CreateTeamInput!){ createTeam(input:$i){ id } }', { i: { name: 'loadtest-agents', slug: 'loadtest-agents' } });
  await admin.data('mutation($g: ID!, $t: ID!){ shareGroup(groupId:$g, teamId:$t, level: VIEWER){ id } }', { g: createGroup.id, t: createTeam.id });
  const keys: string[] = [];
  for (let i = 0; i < users; i++) {
    const email = `agent-${i}@loadtest.example.com`;
    const { createUser } = await admin.data('mutation($i: CreateUserInput!){ createUser(input:$i){ id } }', { i: { email, password: USER_PASSWORD } });
    await admin.data('mutation($t: ID!, $u: ID!){ addTeamMember(teamId:$t, userId:$u){ id } }', { t: createTeam.id, u: createUser.id });
    const user = await new Gql(hubUrl).login(email, USER_PASSWORD);
    const { createApiKey } = await user.data('mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ secret } }', {
      i: { name: 'loadtest', groupIds: [createGroup.id], perMinute: 1_000_000, perDay: 10_000_000 },
    });
    keys.push(createApiKey.secret);
  }
  return { group, keys };
}

export interface HubLoopFigures {
  /** Event-loop delay since the previous scrape (prom-client resets its histogram on each one). */
  lagP99Ms: number;
  lagMaxMs: number;
  /** Garbage collection time since the process started. */
  gcSeconds: number;
}

/** The hub's own view of its event loop and GC, from /metrics (loopback, no token). */
export async function scrapeHubLoop(hubUrl: string): Promise<HubLoopFigures> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return { lagP99Ms: sum('nodejs_eventloop_lag_p99_seconds') * 1000, lagMaxMs: sum('nodejs_eventloop_lag_max_seconds') * 1000, gcSeconds: sum('nodejs_gc_duration_seconds_sum') };
}
