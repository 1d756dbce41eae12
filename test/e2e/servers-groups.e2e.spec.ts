import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ConfigChangeBus, type ConfigChange } from '#core';
import { GroupsService } from '#groups';
import { ServersService } from '#servers';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { EVERYTHING_ENTRY, freePort, startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const SERVER_FIELDS = `id name slug description tags transport command args cwd url enabled ownerId createdAt updatedAt lastError
  env { name maskedValue } headers { name maskedValue } capabilities { discoveredAt }`;
const GROUP_FIELDS = `id name slug description ownerId toolNaming toolFilterMode toolFilter createdAt
  servers { id slug } endpoints { streamableHttp sse } clientConfig`;
const TEST_FIELDS = `ok error toolCount resourceCount promptCount resourceTemplateCount serverName serverVersion protocolVersion latencyMs`;

interface ServerView {
  id: string;
  slug: string;
  transport: string;
  ownerId: string;
  env: { name: string; maskedValue: string }[];
  headers: { name: string; maskedValue: string }[];
  capabilities: unknown;
  lastError: string | null;
}
interface GroupView {
  id: string;
  slug: string;
  ownerId: string;
  toolFilterMode: string;
  toolFilter: string[];
  servers: { id: string; slug: string }[];
  endpoints: { streamableHttp: string; sse: string };
  clientConfig: string;
}
interface TestResult {
  ok: boolean;
  error: string | null;
  toolCount: number | null;
  resourceCount: number | null;
  promptCount: number | null;
  resourceTemplateCount: number | null;
  serverName: string | null;
  protocolVersion: string | null;
  latencyMs: number | null;
}

/** The parent of a process, from /proc (0 when it is gone). */
function parentOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
  } catch {
    return 0;
  }
}

/** server-everything stdio processes started by this jest worker (other specs on the machine run their own). */
function everythingStdioProcesses(): number[] {
  const ours = (pid: number) => {
    for (let p = pid; p > 1; p = parentOf(p)) if (p === process.pid) return true;
    return false;
  };
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(`${EVERYTHING_ENTRY} stdio`);
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number)
    .filter(ours);
}

describe('servers and groups API', () => {
  let sseUpstream: RunningUpstream;
  let httpUpstream: RunningUpstream;
  let closedPort: number;

  beforeAll(async () => {
    expect(existsSync(EVERYTHING_ENTRY)).toBe(true);
    expect(existsSync('/proc/self/cmdline')).toBe(true);
    [sseUpstream, httpUpstream, closedPort] = await Promise.all([startEverythingHttp('sse'), startEverythingHttp('streamableHttp'), freePort()]);
  });
  afterAll(async () => {
    await Promise.all([sseUpstream?.stop(), httpUpstream?.stop()]);
  });

  describe.each(databaseTargets.map((t) => [t.name, t] as const))('on %s', (_name, target) => {
    let hub: RunningHub;
    let admin: GraphQLClient;
    let member: GraphQLClient;
    let db: DataSource;
    let adminId: string;
    let memberId: string;
    const changes: ConfigChange[] = [];
    const ids: Record<'stdio' | 'sse' | 'http' | 'unreachable' | 'memberHttp', string> = {
      stdio: '',
      sse: '',
      http: '',
      unreachable: '',
      memberHttp: '',
    };

    const count = async (table: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
    const register = (client: GraphQLClient, input: Record<string, unknown>) =>
      client.request<{ registerServer: ServerView }>(`mutation($i: RegisterServerInput!){ registerServer(input: $i){ ${SERVER_FIELDS} } }`, { i: input });
    const testServer = async (id: string) =>
      (await admin.data<{ testServer: TestResult }>(`mutation($id: ID!){ testServer(id: $id){ ${TEST_FIELDS} } }`, { id })).testServer;

    beforeAll(async () => {
      hub = await startHub(target);
      db = hub.app.get(DataSource);
      // Configuration changes only: health checks also publish (server-health), on their own schedule.
      hub.app.get(ConfigChangeBus).subscribe((change) => change.kind !== 'server-health' && changes.push(change));
      admin = new GraphQLClient(hub.url);
      await admin.login(ADMIN.email, ADMIN.password);
      adminId = (await admin.data<{ me: { id: string } }>('{ me { id } }')).me.id;
      const created = await admin.data<{ createUser: { id: string } }>(
        'mutation{ createUser(input:{email:"member@example.com", password:"member-password-1"}){ id } }',
      );
      memberId = created.createUser.id;
      member = new GraphQLClient(hub.url);
      await member.login('member@example.com', 'member-password-1');
    });
    afterAll(() => hub?.close());

    describe('servers', () => {
      it('should register servers of all three transports with secrets sealed and masked', async () => {
        const stdio = await register(admin, {
          name: 'Everything',
          transport: 'STDIO',
          command: process.execPath,
          args: [EVERYTHING_ENTRY, 'stdio'],
          env: [
            { name: 'API_TOKEN', value: 'stdio-secret-value-123' },
            { name: 'SHORT', value: 'abc' },
          ],
          tags: ['demo', 'demo', 'local'],
          description: 'Reference server',
        });
        expect(stdio.errors).toBeUndefined();
        expect(stdio.data!.registerServer).toMatchObject({
          slug: 'everything',
          transport: 'STDIO',
          command: process.execPath,
          args: [EVERYTHING_ENTRY, 'stdio'],
          url: null,
          tags: ['demo', 'local'],
          enabled: true,
          ownerId: adminId,
          headers: [],
          capabilities: null,
          lastError: null,
          env: [
            { name: 'API_TOKEN', maskedValue: '••••23' },
            { name: 'SHORT', maskedValue: '••••' },
          ],
        });
        ids.stdio = stdio.data!.registerServer.id;

        const sse = await register(admin, {
          name: 'Everything SSE',
          transport: 'SSE',
          url: sseUpstream.url,
          headers: [{ name: 'Authorization', value: 'Bearer sse-secret-token-456' }],
        });
        expect(sse.data?.registerServer).toMatchObject({
          slug: 'everything-sse',
          transport: 'SSE',
          command: null,
          args: [],
          env: [],
          headers: [{ name: 'Authorization', maskedValue: '••••56' }],
        });
        ids.sse = sse.data!.registerServer.id;

        const http = await register(admin, {
          name: 'Everything HTTP',
          slug: 'http-everything',
          transport: 'STREAMABLE_HTTP',
          url: httpUpstream.url,
          headers: [{ name: 'X-Api-Key', value: 'http-secret-key-789' }],
        });
        expect(http.data?.registerServer).toMatchObject({ slug: 'http-everything', transport: 'STREAMABLE_HTTP' });
        ids.http = http.data!.registerServer.id;

        expect(changes).toEqual(expect.arrayContaining([ids.stdio, ids.sse, ids.http].map((id) => ({ kind: 'server', id }))));
        const { servers } = await admin.data<{ servers: { id: string }[] }>('{ servers(first: 100) { id } }');
        expect(servers.map((s) => s.id)).toEqual([ids.stdio, ids.sse, ids.http]);
      });

      it('should keep env and header values only as ciphertext in the database', async () => {
        const rows: { json: string }[] = await db.query('SELECT row_to_json(s)::text AS json FROM server_endpoints s WHERE server_id = ANY($1)', [
          [ids.stdio, ids.sse, ids.http],
        ]);
        expect(rows).toHaveLength(3);
        const all = rows.map((r) => r.json).join('\n');
        for (const secret of ['stdio-secret-value-123', 'sse-secret-token-456', 'http-secret-key-789']) expect(all).not.toContain(secret);
        const [{ env }] = await db.query('SELECT env FROM server_endpoints WHERE id = $1', [ids.stdio]);
        expect(env).toEqual([
          { name: 'API_TOKEN', value: expect.stringMatching(/^v1\.[0-9a-f]{8}\./) },
          { name: 'SHORT', value: expect.stringMatching(/^v1\./) },
        ]);
        // The gateway's view has them in clear.
        const resolved = await hub.app.get(ServersService).resolveOne(ids.stdio);
        expect(resolved?.transport).toEqual({
          type: 'stdio',
          command: process.execPath,
          args: [EVERYTHING_ENTRY, 'stdio'],
          env: { API_TOKEN: 'stdio-secret-value-123', SHORT: 'abc' },
        });
      });

      it('should refuse a duplicate slug naming input.slug and create nothing', async () => {
        const before = await count('mcp_servers');
        const res = await register(admin, { name: 'Everything', transport: 'SSE', url: 'https://example.com/sse' });
        expect(errorCode(res)).toBe('CONFLICT');
        expect(res.errors?.[0].message).toContain('input.slug');
        expect(res.errors?.[0].extensions?.field).toBe('input.slug');
        expect(await count('mcp_servers')).toBe(before);
      });

      it.each([
        ['STDIO without a command', 'input.command', { name: 'a', transport: 'STDIO' }],
        ['HTTP with a command', 'input.command', { name: 'b', transport: 'STREAMABLE_HTTP', url: 'https://x.example/mcp', command: 'node' }],
        ['HTTP with env', 'input.env', { name: 'c', transport: 'SSE', url: 'https://x.example/sse', env: [{ name: 'A', value: 'x' }] }],
        ['SSE with an ftp URL', 'input.url', { name: 'd', transport: 'SSE', url: 'ftp://x.example/sse' }],
        ['STDIO with a url', 'input.url', { name: 'e', transport: 'STDIO', command: 'node', url: 'https://x.example' }],
        ['a bad env name', 'input.env.0.name', { name: 'f', transport: 'STDIO', command: 'node', env: [{ name: 'BAD-NAME', value: 'x' }] }],
        ['a bad header name', 'input.headers.0.name', { name: 'g', transport: 'SSE', url: 'https://x.example/sse', headers: [{ name: 'Bad Header', value: 'x' }] }],
        ['a value over 8 KiB', 'input.env.0.value', { name: 'h', transport: 'STDIO', command: 'node', env: [{ name: 'BIG', value: 'x'.repeat(8193) }] }],
        ['a bad slug', 'input.slug', { name: 'i', slug: 'Not Valid', transport: 'STDIO', command: 'node' }],
      ])('should reject %s naming %s and create nothing', async (_case, field, input) => {
        const before = await count('mcp_servers');
        const res = await register(admin, input);
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0].message).toContain(field);
        expect(await count('mcp_servers')).toBe(before);
      });

      it('should reject fields the input type does not have', async () => {
        const res = await admin.request('mutation{ registerServer(input:{name:"x", transport: STDIO, command:"node", shell: true}){ id } }');
        expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      });

      it('should forbid members to register or switch to STDIO and let them register HTTP servers', async () => {
        const before = await count('mcp_servers');
        const res = await register(member, { name: 'Mine', transport: 'STDIO', command: 'node' });
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(res.errors?.[0].message).toMatch(/stdio servers run programs on the hub's machine/i);
        expect(await count('mcp_servers')).toBe(before);

        const ok = await register(member, { name: 'Member HTTP', transport: 'STREAMABLE_HTTP', url: httpUpstream.url });
        expect(ok.data?.registerServer).toMatchObject({ slug: 'member-http', ownerId: memberId });
        ids.memberHttp = ok.data!.registerServer.id;

        const toStdio = await member.request('mutation($id: ID!){ updateServer(id: $id, input:{transport: STDIO, command: "node"}){ id } }', {
          id: ids.memberHttp,
        });
        expect(errorCode(toStdio)).toBe('FORBIDDEN');
        const [row] = await db.query('SELECT transport, command FROM server_endpoints WHERE id = $1', [ids.memberHttp]);
        expect(row).toEqual({ transport: 'STREAMABLE_HTTP', command: null });
      });

      it("should hide other people's servers from members and show everything to admins", async () => {
        const mine = await member.data<{ servers: { id: string }[] }>('{ servers { id } }');
        expect(mine.servers.map((s) => s.id)).toEqual([ids.memberHttp]);
        for (const query of [
          'query($id: ID!){ server(id: $id){ id } }',
          'mutation($id: ID!){ updateServer(id: $id, input:{name: "stolen"}){ id } }',
          'mutation($id: ID!){ removeServer(id: $id) }',
          `mutation($id: ID!){ testServer(id: $id){ ok } }`,
        ]) {
          expect(errorCode(await member.request(query, { id: ids.http }))).toBe('NOT_FOUND');
        }
        const [row] = await db.query('SELECT name FROM mcp_servers WHERE id = $1', [ids.http]);
        expect(row.name).toBe('Everything HTTP');
        const all = await admin.data<{ servers: { id: string }[] }>('{ servers(first: 100) { id } }');
        expect(all.servers.map((s) => s.id)).toContain(ids.memberHttp);
        expect(errorCode(await admin.request('{ servers(first: 101) { id } }'))).toBe('BAD_USER_INPUT');
        expect(errorCode(await admin.request('{ server(id: "nope") { id } }'))).toBe('BAD_USER_INPUT');
      });

      it('should keep a stored secret when an update sends its name with a null value', async () => {
        changes.length = 0;
        const { updateServer } = await admin.data<{ updateServer: ServerView }>(
          `mutation($id: ID!){ updateServer(id: $id, input:{ env: [{ name: "API_TOKEN", value: null }, { name: "NEW_VAR", value: "new-value-000" }], description: null }){ ${SERVER_FIELDS} } }`,
          { id: ids.stdio },
        );
        expect(updateServer.env).toEqual([
          { name: 'API_TOKEN', maskedValue: '••••23' },
          { name: 'NEW_VAR', maskedValue: '••••00' },
        ]);
        expect(changes).toEqual([{ kind: 'server', id: ids.stdio }]);
        const resolved = await hub.app.get(ServersService).resolveOne(ids.stdio);
        expect(resolved?.transport).toMatchObject({ env: { API_TOKEN: 'stdio-secret-value-123', NEW_VAR: 'new-value-000' } });

        const [before] = await db.query('SELECT env::text AS env FROM server_endpoints WHERE id = $1', [ids.stdio]);
        const unknown = await admin.request('mutation($id: ID!){ updateServer(id: $id, input:{ env: [{ name: "NEVER_SET", value: null }] }){ id } }', {
          id: ids.stdio,
        });
        expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
        expect(unknown.errors?.[0].message).toContain('input.env.0.value');
        const [after] = await db.query('SELECT env::text AS env FROM server_endpoints WHERE id = $1', [ids.stdio]);
        expect(after.env).toBe(before.env);
      });

      it('should test a stdio server for real, store the snapshot and leave no process behind', async () => {
        const result = await testServer(ids.stdio);
        expect(result).toMatchObject({ ok: true, error: null, serverName: expect.any(String), protocolVersion: expect.any(String) });
        expect(result.toolCount).toBeGreaterThan(0);
        expect(result.resourceCount).toBeGreaterThan(0);
        expect(result.promptCount).toBeGreaterThan(0);
        expect(result.resourceTemplateCount).toBeGreaterThan(0);
        expect(result.latencyMs).toBeGreaterThanOrEqual(0);
        expect(everythingStdioProcesses()).toEqual([]);

        const { server } = await admin.data<{ server: { lastError: string | null; capabilities: { tools: { name: string }[]; discoveredAt: string } } }>(
          'query($id: ID!){ server(id: $id){ lastError capabilities { tools { name description } resources { uri name } prompts { name } discoveredAt } } }',
          { id: ids.stdio },
        );
        expect(server.lastError).toBeNull();
        expect(server.capabilities.tools.map((t) => t.name)).toContain('echo');
        expect(server.capabilities.tools).toHaveLength(result.toolCount!);
        expect(Date.parse(server.capabilities.discoveredAt)).toBeGreaterThan(Date.now() - 60_000);
      });

      it.each([
        ['Streamable HTTP', 'http'],
        ['SSE', 'sse'],
      ] as const)('should test a %s server for real', async (_label, key) => {
        const result = await testServer(ids[key]);
        expect(result.error).toBeNull();
        expect(result.ok).toBe(true);
        expect(result.toolCount).toBeGreaterThan(0);
        expect(result.resourceCount).toBeGreaterThan(0);
        const { server } = await admin.data<{ server: { capabilities: { tools: { name: string }[] } } }>(
          'query($id: ID!){ server(id: $id){ capabilities { tools { name } } } }',
          { id: ids[key] },
        );
        expect(server.capabilities.tools.map((t) => t.name)).toContain('echo');
      });

      it('should report an unreachable server as a failed test naming its slug', async () => {
        const res = await register(admin, { name: 'Gone', transport: 'STREAMABLE_HTTP', url: `http://127.0.0.1:${closedPort}/mcp` });
        ids.unreachable = res.data!.registerServer.id;
        const result = await testServer(ids.unreachable);
        expect(result).toMatchObject({ ok: false, toolCount: null, serverName: null });
        expect(result.error).toContain('gone');
        expect(result.error).toContain('ECONNREFUSED');
        const { server } = await admin.data<{ server: ServerView }>(`query($id: ID!){ server(id: $id){ ${SERVER_FIELDS} } }`, { id: ids.unreachable });
        expect(server.lastError).toBe(result.error);
        expect(server.capabilities).toBeNull();
      });
    });

    describe('groups', () => {
      let team: GroupView;

      it('should create a group with endpoints and a paste-ready client config', async () => {
        const { createGroup } = await admin.data<{ createGroup: GroupView }>(
          `mutation{ createGroup(input:{ name: "Team A", description: "first" }){ ${GROUP_FIELDS} } }`,
        );
        team = createGroup;
        expect(team).toMatchObject({ slug: 'team-a', ownerId: adminId, toolNaming: 'PREFIX_WHEN_NEEDED', toolFilterMode: 'NONE', toolFilter: [], servers: [] });
        expect(team.endpoints).toEqual({ streamableHttp: `${hub.url}/mcp/team-a`, sse: `${hub.url}/sse/team-a` });
        expect(JSON.parse(team.clientConfig)).toEqual({
          mcpServers: { 'team-a': { url: `${hub.url}/mcp/team-a`, headers: { Authorization: 'Bearer <YOUR_API_KEY>' } } },
        });
        expect(changes).toContainEqual({ kind: 'group', id: team.id });

        const before = await count('groups');
        const dup = await admin.request('mutation{ createGroup(input:{ name: "Team   A!" }){ id } }');
        expect(errorCode(dup)).toBe('CONFLICT');
        expect(dup.errors?.[0].message).toContain('input.slug');
        expect(errorCode(await admin.request('mutation{ createGroup(input:{ name: "x", slug: "Bad_Slug" }){ id } }'))).toBe('BAD_USER_INPUT');
        expect(await count('groups')).toBe(before);
      });

      it('should add servers in order, refuse duplicates and unknown ids, and remove them', async () => {
        const add = (groupId: string, serverId: string, client = admin) =>
          client.request<{ addServerToGroup: GroupView }>(
            `mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ ${GROUP_FIELDS} } }`,
            { g: groupId, s: serverId },
          );
        changes.length = 0;
        expect((await add(team.id, ids.stdio)).errors).toBeUndefined();
        const second = await add(team.id, ids.http);
        expect(second.data?.addServerToGroup.servers.map((s) => s.slug)).toEqual(['everything', 'http-everything']);
        expect(changes).toEqual([
          { kind: 'group', id: team.id },
          { kind: 'group', id: team.id },
        ]);

        const members = await count('group_servers');
        const twice = await add(team.id, ids.stdio);
        expect(errorCode(twice)).toBe('CONFLICT');
        expect(twice.errors?.[0].message).toContain('already in group team-a');
        expect(errorCode(await add(team.id, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
        expect(errorCode(await add('00000000-0000-4000-8000-000000000000', ids.stdio))).toBe('NOT_FOUND');
        const badId = await add('not-a-uuid', ids.stdio);
        expect(errorCode(badId)).toBe('BAD_USER_INPUT');
        expect(badId.errors?.[0].message).toContain('groupId');
        expect(await count('group_servers')).toBe(members);

        await add(team.id, ids.sse);
        const { removeServerFromGroup } = await admin.data<{ removeServerFromGroup: GroupView }>(
          `mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ ${GROUP_FIELDS} } }`,
          { g: team.id, s: ids.http },
        );
        expect(removeServerFromGroup.servers.map((s) => s.slug)).toEqual(['everything', 'everything-sse']);
        const again = await admin.request('mutation($g: ID!, $s: ID!){ removeServerFromGroup(groupId: $g, serverId: $s){ id } }', {
          g: team.id,
          s: ids.http,
        });
        expect(errorCode(again)).toBe('NOT_FOUND');

        const resolved = await hub.app.get(GroupsService).resolveOne(team.id);
        expect(resolved).toEqual({
          id: team.id,
          slug: 'team-a',
          name: 'Team A',
          ownerId: adminId,
          shares: [],
          serverIds: [ids.stdio, ids.sse],
          toolNaming: 'PREFIX_WHEN_NEEDED',
          toolFilter: { mode: 'NONE', tools: [] },
          toolPinning: 'WARN',
        });
      });

      it('should validate and store the tool filter', async () => {
        const { updateGroup } = await admin.data<{ updateGroup: GroupView }>(
          `mutation($id: ID!){ updateGroup(id: $id, input:{ toolFilterMode: ALLOW, toolFilter: ["everything__echo", "everything__add", "everything__echo"] }){ ${GROUP_FIELDS} } }`,
          { id: team.id },
        );
        expect(updateGroup).toMatchObject({ toolFilterMode: 'ALLOW', toolFilter: ['everything__echo', 'everything__add'] });

        for (const [input, field] of [
          ['{ toolFilter: ["everything.echo"] }', 'input.toolFilter.0'],
          ['{ toolFilter: ["ok", "has space"] }', 'input.toolFilter.1'],
          ['{ slug: "-bad" }', 'input.slug'],
          ['{ name: "" }', 'input.name'],
        ]) {
          const res = await admin.request(`mutation($id: ID!){ updateGroup(id: $id, input: ${input}){ id } }`, { id: team.id });
          expect(errorCode(res)).toBe('BAD_USER_INPUT');
          expect(res.errors?.[0].message).toContain(field);
        }
        const [row] = await db.query('SELECT tool_filter_mode, tool_filter, slug, name FROM groups WHERE id = $1', [team.id]);
        expect(row).toEqual({ tool_filter_mode: 'ALLOW', tool_filter: ['everything__echo', 'everything__add'], slug: 'team-a', name: 'Team A' });
        const resolved = await hub.app.get(GroupsService).resolveOne(team.id);
        expect(resolved?.toolFilter).toEqual({ mode: 'ALLOW', tools: ['everything__echo', 'everything__add'] });
      });

      it('should find a group by slug with its servers', async () => {
        const { group } = await admin.data<{ group: GroupView }>(`{ group(slug: "team-a"){ ${GROUP_FIELDS} } }`);
        expect(group.id).toBe(team.id);
        expect(group.servers.map((s) => s.id)).toEqual([ids.stdio, ids.sse]);
        expect(errorCode(await admin.request('{ group(slug: "no-such-group"){ id } }'))).toBe('NOT_FOUND');
      });

      it("should keep members to their own groups and servers", async () => {
        const { createGroup: own } = await member.data<{ createGroup: GroupView }>(
          `mutation{ createGroup(input:{ name: "Member Group" }){ ${GROUP_FIELDS} } }`,
        );
        expect(own.ownerId).toBe(memberId);
        const listed = await member.data<{ groups: { id: string }[] }>('{ groups { id } }');
        expect(listed.groups.map((g) => g.id)).toEqual([own.id]);

        expect(errorCode(await member.request('{ group(slug: "team-a"){ id } }'))).toBe('NOT_FOUND');
        for (const query of [
          'mutation($id: ID!){ updateGroup(id: $id, input:{ name: "mine now" }){ id } }',
          'mutation($id: ID!){ removeGroup(id: $id) }',
        ]) {
          expect(errorCode(await member.request(query, { id: team.id }))).toBe('NOT_FOUND');
        }
        const addQuery = 'mutation($g: ID!, $s: ID!){ addServerToGroup(groupId: $g, serverId: $s){ servers { id } } }';
        const members = await count('group_servers');
        expect(errorCode(await member.request(addQuery, { g: own.id, s: ids.stdio }))).toBe('NOT_FOUND');
        expect(errorCode(await member.request(addQuery, { g: team.id, s: ids.memberHttp }))).toBe('NOT_FOUND');
        expect(await count('group_servers')).toBe(members);

        const added = await member.data<{ addServerToGroup: { servers: { id: string }[] } }>(addQuery, { g: own.id, s: ids.memberHttp });
        expect(added.addServerToGroup.servers.map((s) => s.id)).toEqual([ids.memberHttp]);
        // Admins manage every group, including adding their servers to a member's group.
        const byAdmin = await admin.data<{ addServerToGroup: { servers: { id: string }[] } }>(addQuery, { g: own.id, s: ids.http });
        expect(byAdmin.addServerToGroup.servers.map((s) => s.id)).toEqual([ids.memberHttp, ids.http]);
        const all = await admin.data<{ groups: { id: string; servers: { id: string }[] }[] }>('{ groups(first: 100) { id servers { id } } }');
        expect(all.groups.map((g) => g.id)).toEqual([team.id, own.id]);
        expect(all.groups[1].servers.map((s) => s.id)).toEqual([ids.memberHttp, ids.http]);
        expect(errorCode(await member.request('{ groups(first: 101) { id } }'))).toBe('BAD_USER_INPUT');
      });

      it('should drop a removed server from its groups', async () => {
        changes.length = 0;
        const { removeServer } = await admin.data<{ removeServer: boolean }>('mutation($id: ID!){ removeServer(id: $id) }', { id: ids.sse });
        expect(removeServer).toBe(true);
        expect(changes).toEqual([{ kind: 'server', id: ids.sse }]);
        expect(await db.query('SELECT * FROM group_servers WHERE server_id = $1', [ids.sse])).toEqual([]);
        const { group } = await admin.data<{ group: GroupView }>(`{ group(slug: "team-a"){ ${GROUP_FIELDS} } }`);
        expect(group.servers.map((s) => s.id)).toEqual([ids.stdio]);
        expect(errorCode(await admin.request('query($id: ID!){ server(id: $id){ id } }', { id: ids.sse }))).toBe('NOT_FOUND');
      });

      it('should remove a group and its memberships but not its servers', async () => {
        const servers = await count('mcp_servers');
        const { removeGroup } = await admin.data<{ removeGroup: boolean }>('mutation($id: ID!){ removeGroup(id: $id) }', { id: team.id });
        expect(removeGroup).toBe(true);
        expect(changes).toContainEqual({ kind: 'group', id: team.id });
        expect(await db.query('SELECT * FROM group_servers WHERE group_id = $1', [team.id])).toEqual([]);
        expect(await count('mcp_servers')).toBe(servers);
        expect(errorCode(await admin.request('{ group(slug: "team-a"){ id } }'))).toBe('NOT_FOUND');
        expect(await hub.app.get(GroupsService).resolveOne(team.id)).toBeNull();
      });
    });
  });
});
