import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ServersService } from '#servers';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createKey, createPerson } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { connectStreamable } from '../support/mcp-clients.js';
import { everythingStdio, startEverythingHttp, type RunningUpstream } from '../support/upstreams.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const STDIO_SECRET = 'stdio-env-secret-value-123';
const HEADER_SECRET = 'Bearer header-secret-value-456';
const RESULT = `dryRun groupName groupSlug group { id slug servers { id slug } }
  servers { id key slug transport command args url envNames headerNames enabled } pendingValues { serverSlug kind name reference variable description } warnings`;
const IMPORT = `mutation($i: ImportClientConfigInput!){ importClientConfig(input: $i){ ${RESULT} } }`;

interface ImportResult {
  dryRun: boolean;
  groupSlug: string;
  group: { id: string; slug: string; servers: { id: string; slug: string }[] } | null;
  servers: { id: string | null; key: string; slug: string; transport: string; envNames: string[]; headerNames: string[]; url: string | null }[];
  pendingValues: { serverSlug: string; kind: string; name: string; reference: string; variable: string; description: string | null }[];
  warnings: string[];
}

describe('client config import and export', () => {
  let http: RunningUpstream;
  beforeAll(async () => {
    http = await startEverythingHttp('streamableHttp');
  });
  afterAll(() => http?.stop());

  describe.each(databaseTargets.map((t) => [t.name, t] as const))('on %s', (_name, target) => {
    let hub: RunningHub;
    let admin: GraphQLClient;
    let member: GraphQLClient;
    let db: DataSource;
    let imported: ImportResult;

    /** Claude Desktop / Cursor shape: a stdio entry with env and a url entry with headers. */
    const mcpServersJson = () =>
      JSON.stringify({
        mcpServers: {
          everything: { ...everythingStdio(), env: { API_TOKEN: STDIO_SECRET } },
          'remote everything': { url: http.url, headers: { Authorization: HEADER_SECRET } },
        },
      });
    const counts = async () => {
      const [row] = await db.query(
        'SELECT (SELECT count(*) FROM mcp_servers)::int AS servers, (SELECT count(*) FROM groups)::int AS groups, (SELECT count(*) FROM group_servers)::int AS members',
      );
      return row as { servers: number; groups: number; members: number };
    };

    beforeAll(async () => {
      hub = await startHub(target);
      db = hub.app.get(DataSource);
      admin = new GraphQLClient(hub.url);
      await admin.login(ADMIN.email, ADMIN.password);
      member = await createPerson(admin, hub.url, 'member@example.com');
    });
    afterAll(() => hub?.close());

    it('should preview without creating anything (dryRun)', async () => {
      const before = await counts();
      const { importClientConfig: preview } = await admin.data<{ importClientConfig: ImportResult }>(IMPORT, {
        i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupName: 'My tools', dryRun: true },
      });
      expect(preview).toMatchObject({ dryRun: true, group: null, groupSlug: 'my-tools' });
      expect(preview.servers.map((s) => [s.id, s.key, s.slug, s.transport, s.envNames, s.headerNames])).toEqual([
        [null, 'everything', 'everything', 'STDIO', ['API_TOKEN'], []],
        [null, 'remote everything', 'remote-everything', 'STREAMABLE_HTTP', [], ['Authorization']],
      ]);
      expect(JSON.stringify(preview)).not.toContain(STDIO_SECRET);
      expect(await counts()).toEqual(before);
    });

    it('should import servers plus a group in one audited change, and an agent calls a tool through the group with a real key', async () => {
      ({ importClientConfig: imported } = await admin.data<{ importClientConfig: ImportResult }>(IMPORT, {
        i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupName: 'My tools' },
      }));
      expect(imported.dryRun).toBe(false);
      expect(imported.group!.slug).toBe('my-tools');
      expect(imported.group!.servers.map((s) => s.slug)).toEqual(['everything', 'remote-everything']);

      // The dry run was audited too (with no changes): this is the later entry.
      const [entry] = await db.query("SELECT outcome, changes::text AS changes FROM audit_log WHERE action = 'importClientConfig' ORDER BY at DESC LIMIT 1");
      expect(entry.outcome).toBe('SUCCESS');
      for (const table of ['Server', 'Group', 'GroupServer']) expect(entry.changes).toContain(`"${table}"`);
      // The pasted JSON holds the secrets: no audit row (arguments included) may.
      const audit = ((await db.query("SELECT t::text AS row FROM audit_log t WHERE action = 'importClientConfig'")) as { row: string }[]).map((r) => r.row).join('\n');
      for (const secret of [STDIO_SECRET, 'header-secret-value-456']) expect(audit).not.toContain(secret);

      const key = await createKey(admin, { groupIds: [imported.group!.id] });
      const agent = await connectStreamable(hub.url, 'my-tools', key.secret);
      try {
        const { tools } = await agent.listTools();
        const names = tools.map((t) => t.name);
        // Two copies of server-everything share every name: PREFIX_WHEN_NEEDED prefixes both with their slugs.
        expect(names).toEqual(expect.arrayContaining(['everything__echo', 'remote-everything__echo']));
        for (const name of ['everything__echo', 'remote-everything__echo']) {
          const result = await agent.callTool({ name, arguments: { message: `hi ${name}` } });
          expect(JSON.stringify(result.content)).toContain(`hi ${name}`);
        }
      } finally {
        await agent.close();
      }
    });

    it('should keep env and header values only as ciphertext, and in clear only in the gateway view', async () => {
      const ids = imported.servers.map((s) => s.id!);
      const rows: { json: string }[] = await db.query('SELECT row_to_json(s)::text AS json FROM server_endpoints s WHERE server_id = ANY($1)', [ids]);
      expect(rows).toHaveLength(2);
      for (const secret of [STDIO_SECRET, 'header-secret-value-456']) expect(rows.map((r) => r.json).join('\n')).not.toContain(secret);
      const stdio = await hub.app.get(ServersService).resolveOne(ids[0]);
      expect(stdio?.transport).toMatchObject({ type: 'stdio', env: { API_TOKEN: STDIO_SECRET } });
      const remote = await hub.app.get(ServersService).resolveOne(ids[1]);
      expect(remote?.transport).toMatchObject({ type: 'streamable-http', headers: { Authorization: HEADER_SECRET } });
    });

    it('should suffix taken server and group slugs on a second import', async () => {
      const { importClientConfig: again } = await admin.data<{ importClientConfig: ImportResult }>(IMPORT, {
        i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupName: 'My tools', dryRun: true },
      });
      expect(again.groupSlug).toBe('my-tools-2');
      expect(again.servers.map((s) => s.slug)).toEqual(['everything-2', 'remote-everything-2']);
      const taken = await admin.request(IMPORT, { i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupSlug: 'my-tools' } });
      expect(errorCode(taken)).toBe('CONFLICT');
    });

    it('should turn VS Code ${input:…} values into credential templates (${API_KEY}), not stored literals', async () => {
      const json = JSON.stringify({
        inputs: [{ type: 'promptString', id: 'api-key', description: 'Remote API key', password: true }],
        servers: { remote: { type: 'http', url: http.url, headers: { Authorization: 'Bearer ${input:api-key}', 'X-Team': 'blue' } } },
      });
      const { importClientConfig: result } = await admin.data<{ importClientConfig: ImportResult }>(IMPORT, { i: { format: 'VSCODE', json, groupName: 'VS Code' } });
      expect(result.servers[0].headerNames).toEqual(['Authorization', 'X-Team']);
      expect(result.pendingValues).toEqual([
        { serverSlug: 'remote', kind: 'HEADER', name: 'Authorization', reference: 'Bearer ${input:api-key}', variable: 'API_KEY', description: 'Remote API key' },
      ]);
      const [row] = await db.query('SELECT headers::text AS headers FROM server_endpoints WHERE server_id = $1', [result.servers[0].id]);
      expect(row.headers).not.toContain('input:api-key');
      // The server asks for the API_KEY credential, which the importer has not set yet.
      const { server } = await admin.data<{ server: { variables: { name: string; source: string | null }[] } }>('query($id: ID!){ server(id: $id){ variables { name source } } }', { id: result.servers[0].id });
      expect(server.variables).toEqual([{ name: 'API_KEY', source: null }]);
    });

    it('should refuse a stdio entry from a member and create nothing, not even the other entries', async () => {
      const before = await counts();
      const res = await member.request(IMPORT, { i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupName: 'Mine' } });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors![0].message).toContain('everything');
      expect(await counts()).toEqual(before);
    });

    it('should refuse bad input naming the entry and field, creating nothing', async () => {
      const before = await counts();
      const cases: [string, string, RegExp][] = [
        ['MCP_SERVERS', '{"mcpServers": {', /^json: is not valid JSON/],
        ['MCP_SERVERS', JSON.stringify({ mcpServers: { ok: { url: http.url }, broken: { url: 'ftp://example.com/x' } } }), /^json\.mcpServers\.broken\.url: must be an http/],
        ['MCP_SERVERS', JSON.stringify({ mcpServers: { ok: { url: http.url }, bad: { url: http.url, headers: { Host: 'x' } } } }), /^json\.mcpServers\.bad\.headers\.0\.name/],
        ['VSCODE', JSON.stringify({ mcpServers: {} }), /^json\.servers: is required/],
      ];
      for (const [format, json, message] of cases) {
        const res = await admin.request(IMPORT, { i: { format, json } });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0].message).toMatch(message);
      }
      expect(await counts()).toEqual(before);
    });

    it('should refuse, for a member, a URL the egress policy forbids', async () => {
      const res = await member.request(IMPORT, { i: { format: 'MCP_SERVERS', json: JSON.stringify({ mcpServers: { meta: { url: 'http://169.254.169.254/mcp' } } }) } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/^json\.mcpServers\.meta\.url: /);
    });

    it('should write all or nothing: a failure at the last write (the group revision) leaves no server and no group', async () => {
      // Refuses the import's group revision: the servers, the group and its members were written before it.
      await db.query(`
        CREATE FUNCTION import_e2e_fail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.reason = 'importClientConfig' THEN RAISE EXCEPTION 'refused'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER import_e2e_fail BEFORE INSERT ON group_revisions FOR EACH ROW EXECUTE FUNCTION import_e2e_fail();`);
      try {
        const before = await counts();
        const res = await admin.request(IMPORT, { i: { format: 'MCP_SERVERS', json: mcpServersJson(), groupName: 'Doomed', groupSlug: 'doomed-import' } });
        expect(res.errors).toHaveLength(1);
        expect(await counts()).toEqual(before);
      } finally {
        await db.query('DROP TRIGGER IF EXISTS import_e2e_fail ON group_revisions; DROP FUNCTION IF EXISTS import_e2e_fail();');
      }
    });

    it('should export the group endpoint entry and the members with secret references only', async () => {
      for (const format of ['MCP_SERVERS', 'VSCODE']) {
        const { exportClientConfig: out } = await admin.data<{ exportClientConfig: { groupEndpoint: { client: string; text: string }; memberServers: string; omittedServers: string[] } }>(
          'query($g: ID!, $f: ClientConfigFormat!){ exportClientConfig(groupId: $g, format: $f){ groupEndpoint { client text } memberServers omittedServers } }',
          { g: imported.group!.id, f: format },
        );
        expect(out.groupEndpoint.client).toBe(format === 'VSCODE' ? 'VSCODE' : 'CURSOR');
        expect(out.groupEndpoint.text).toContain(`${hub.url}/mcp/my-tools`);
        expect(out.memberServers).not.toContain(STDIO_SECRET);
        expect(out.memberServers).not.toContain('header-secret-value-456');
        expect(out.memberServers).toContain(format === 'VSCODE' ? '${input:everything-api_token}' : '${env:API_TOKEN}');
        expect(out.omittedServers).toEqual([]);
      }
      const foreign = await member.request('query($g: ID!){ exportClientConfig(groupId: $g, format: MCP_SERVERS){ memberServers } }', { g: imported.group!.id });
      expect(errorCode(foreign)).toBe('NOT_FOUND');
    });
  });
});
