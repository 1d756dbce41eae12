import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient, errorCode } from '../support/graphql-client.js';
import { createGroup, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';

const target = databaseTargets[databaseTargets.length - 1];
// Stored, never contacted.
const URL_A = 'http://127.0.0.1:9/mcp';

const SECRETS = {
  serverEnv: 'server-env-value-5f1c9a',
  serverHeader: 'Bearer server-header-value-8d2e4b',
  replicaEnv: 'replica-env-value-3a7b6c',
  replicaHeader: 'replica-header-value-9e0f1d',
};

/** The secret as it is, and as base64 / hex, so an encoding is not mistaken for encryption. */
const forms = (secret: string) => [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];

describe('replica protections', () => {
  let hub: RunningHub;
  let db: DataSource;
  let admin: GraphQLClient;
  let member: GraphQLClient;

  const rowText = async (table: string, id: string) => {
    const [row] = await db.query(`SELECT row_to_json(t)::text AS json FROM ${table} t WHERE id = $1`, [id]);
    expect(row).toBeDefined();
    return row.json as string;
  };
  const count = async (table: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    hub = await startHub(target);
    db = hub.app.get(DataSource);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    await admin.data('mutation{ createUser(input:{ email: "member@example.com", password: "member-password-1" }){ id } }');
    member = new GraphQLClient(hub.url);
    await member.login('member@example.com', 'member-password-1');
  });
  afterAll(() => hub?.close());

  describe('secrets at rest', () => {
    it('should store no env or header value of a server or replica in clear in its database row', async () => {
      const server = await registerServer(admin, {
        name: 'secretive',
        transport: 'STREAMABLE_HTTP',
        url: URL_A,
        headers: [{ name: 'Authorization', value: SECRETS.serverHeader }],
      });
      const stdio = await registerServer(admin, {
        name: 'secretive-stdio',
        transport: 'STDIO',
        command: process.execPath,
        args: ['-e', '0'],
        env: [{ name: 'API_TOKEN', value: SECRETS.serverEnv }],
      });
      const { addServerReplica: httpReplica } = await admin.data<{ addServerReplica: { id: string } }>(
        'mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }',
        { s: server.id, i: { name: 'second', transport: 'STREAMABLE_HTTP', url: URL_A, headers: [{ name: 'X-Upstream-Key', value: SECRETS.replicaHeader }] } },
      );
      const { addServerReplica: stdioReplica } = await admin.data<{ addServerReplica: { id: string } }>(
        'mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }',
        { s: stdio.id, i: { name: 'twin', transport: 'STDIO', command: process.execPath, args: ['-e', '0'], env: [{ name: 'API_TOKEN', value: SECRETS.replicaEnv }] } },
      );

      const rows = [
        await rowText('server_endpoints', server.id),
        await rowText('server_endpoints', stdio.id),
        await rowText('server_endpoints', httpReplica.id),
        await rowText('server_endpoints', stdioReplica.id),
      ].join('\n');
      // The names are stored (they are shown masked); the values must be sealed.
      expect(rows).toContain('X-Upstream-Key');
      for (const secret of Object.values(SECRETS)) for (const form of forms(secret)) expect(rows).not.toContain(form);
      for (const secret of Object.values(SECRETS)) expect(rows).not.toContain(secret.replace(/^Bearer /, ''));
    });
  });

  describe('STDIO is for admins', () => {
    let memberServer: { id: string };

    beforeAll(async () => {
      memberServer = await registerServer(member, { name: 'mine', transport: 'STREAMABLE_HTTP', url: URL_A });
    });

    it('should refuse a member adding a STDIO replica with FORBIDDEN, and save nothing', async () => {
      const before = await count('server_endpoints');
      const res = await member.request('mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }', {
        s: memberServer.id,
        i: { name: 'local', transport: 'STDIO', command: process.execPath, args: ['-e', '0'] },
      });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(await count('server_endpoints')).toBe(before);
    });

    it('should refuse a member registering a STDIO server or switching one to STDIO, and change nothing', async () => {
      const serversBefore = await count('mcp_servers');
      const register = await member.request('mutation($i: RegisterServerInput!){ registerServer(input: $i){ id } }', {
        i: { name: 'local', transport: 'STDIO', command: process.execPath, args: ['-e', '0'] },
      });
      expect(errorCode(register)).toBe('FORBIDDEN');
      expect(await count('mcp_servers')).toBe(serversBefore);

      const before = await rowText('server_endpoints', memberServer.id);
      const update = await member.request('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', {
        id: memberServer.id,
        i: { transport: 'STDIO', command: process.execPath, args: ['-e', '0'] },
      });
      expect(errorCode(update)).toBe('FORBIDDEN');
      expect(await rowText('server_endpoints', memberServer.id)).toBe(before);
    });

    it('should let an admin add a STDIO replica (the refusal is about the role)', async () => {
      const res = await admin.request('mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id transport } }', {
        s: memberServer.id,
        i: { name: 'admin-local', transport: 'STDIO', command: process.execPath, args: ['-e', '0'], enabled: false },
      });
      expect(res.errors).toBeUndefined();
    });
  });
  describe('the primary endpoint', () => {
    it('should refuse to update or remove a server\'s primary endpoint as a replica (it is the server\'s own configuration), changing nothing', async () => {
      const server = await registerServer(admin, { name: 'primary-kept', transport: 'STREAMABLE_HTTP', url: URL_A });
      const before = await rowText('server_endpoints', server.id);
      const update = await admin.request('mutation($id: ID!){ updateServerReplica(id: $id, input: { enabled: false, weight: 9 }){ id } }', { id: server.id });
      expect(errorCode(update)).toBe('NOT_FOUND');
      const remove = await admin.request('mutation($id: ID!){ removeServerReplica(id: $id) }', { id: server.id });
      expect(errorCode(remove)).toBe('NOT_FOUND');
      expect(await rowText('server_endpoints', server.id)).toBe(before);
      const { server: view } = await admin.data<{ server: { url: string; replicas: unknown[] } }>('query($id: ID!){ server(id: $id){ url replicas { id } } }', { id: server.id });
      expect(view).toEqual({ url: URL_A, replicas: [] });
    });

    it('should store the primary\'s weight and tier, set through updateServerBalancing, on its endpoint', async () => {
      const server = await registerServer(admin, { name: 'weighted-primary', transport: 'STREAMABLE_HTTP', url: URL_A });
      const { updateServerBalancing } = await admin.data<{ updateServerBalancing: unknown }>(
        'mutation($s: ID!){ updateServerBalancing(serverId: $s, input: { weight: 4, priority: 2, loadBalancing: WEIGHTED }){ weight priority loadBalancing } }',
        { s: server.id },
      );
      expect(updateServerBalancing).toEqual({ weight: 4, priority: 2, loadBalancing: 'WEIGHTED' });
      expect(await db.query(`SELECT weight, priority FROM server_endpoints WHERE server_id = $1 AND "primary"`, [server.id])).toEqual([{ weight: 4, priority: 2 }]);
    });

    it('should show a group member\'s transport and replicas from its endpoints (loaded with the membership)', async () => {
      const server = await registerServer(admin, { name: 'member-of-group', transport: 'STREAMABLE_HTTP', url: URL_A });
      const replica = await admin.data<{ addServerReplica: { id: string } }>('mutation($s: ID!){ addServerReplica(serverId: $s, input: { name: "b", transport: SSE, url: "http://127.0.0.1:9/sse" }){ id } }', { s: server.id });
      const group = await createGroup(admin, 'endpoints-group', [server.id]);
      const { group: view } = await admin.data<{ group: { servers: unknown[] } }>('query($s: String!){ group(slug: $s){ servers { transport url replicas { id transport } } } }', { s: group.slug });
      expect(view.servers).toEqual([{ transport: 'STREAMABLE_HTTP', url: URL_A, replicas: [{ id: replica.addServerReplica.id, transport: 'SSE' }] }]);
    });
  });

  describe('connection placement', () => {
    const placementOf = async (id: string) => (await db.query(`SELECT connection_placement AS p FROM mcp_servers WHERE id = $1`, [id]))[0].p as string;
    const balancing = (client: GraphQLClient, id: string, input: Record<string, unknown>) =>
      client.request<{ updateServerBalancing: { connectionPlacement: string; retryCalls: boolean; loadBalancing: string } }>(
        'mutation($s: ID!, $i: ServerBalancingInput!){ updateServerBalancing(serverId: $s, input: $i){ connectionPlacement retryCalls loadBalancing } }',
        { s: id, i: input },
      );

    it('should default to ONE_HUB for a STDIO server and to EVERY_HUB for SSE and Streamable HTTP ones', async () => {
      const stdio = await registerServer(admin, { name: 'placed-stdio', transport: 'STDIO', command: process.execPath, args: ['-e', '0'] });
      const sse = await registerServer(admin, { name: 'placed-sse', transport: 'SSE', url: 'http://127.0.0.1:9/sse' });
      const http = await registerServer(member, { name: 'placed-http', transport: 'STREAMABLE_HTTP', url: URL_A });
      const { servers } = await admin.data<{ servers: { id: string; connectionPlacement: string }[] }>('{ servers { id connectionPlacement } }');
      const shown = Object.fromEntries(servers.map((s) => [s.id, s.connectionPlacement]));
      expect([shown[stdio.id], shown[sse.id], shown[http.id]]).toEqual(['ONE_HUB', 'EVERY_HUB', 'EVERY_HUB']);
      expect([await placementOf(stdio.id), await placementOf(sse.id), await placementOf(http.id)]).toEqual(['ONE_HUB', 'EVERY_HUB', 'EVERY_HUB']);
    });

    it('should change the placement through updateServerBalancing and leave the other settings as they were', async () => {
      const server = await registerServer(admin, { name: 'replaced-stdio', transport: 'STDIO', command: process.execPath, args: ['-e', '0'] });
      await balancing(admin, server.id, { retryCalls: true, loadBalancing: 'LEAST_IN_FLIGHT' });
      const changed = await balancing(admin, server.id, { connectionPlacement: 'EVERY_HUB' });
      expect(changed.errors).toBeUndefined();
      expect(changed.data?.updateServerBalancing).toEqual({ connectionPlacement: 'EVERY_HUB', retryCalls: true, loadBalancing: 'LEAST_IN_FLIGHT' });
      expect(await placementOf(server.id)).toBe('EVERY_HUB');
      // Not given: kept.
      await balancing(admin, server.id, { weight: 3 });
      expect(await placementOf(server.id)).toBe('EVERY_HUB');
      await balancing(admin, server.id, { connectionPlacement: 'ONE_HUB' });
      expect(await placementOf(server.id)).toBe('ONE_HUB');
    });

    it('should take the new transport\'s default when updateServer changes the transport, and keep the placement otherwise', async () => {
      const server = await registerServer(admin, { name: 'moved-to-stdio', transport: 'STREAMABLE_HTTP', url: URL_A });
      const update = (input: Record<string, unknown>) =>
        admin.data('mutation($id: ID!, $i: UpdateServerInput!){ updateServer(id: $id, input: $i){ id } }', { id: server.id, i: input });
      await update({ transport: 'STDIO', command: process.execPath, args: ['-e', '0'] });
      expect(await placementOf(server.id)).toBe('ONE_HUB');
      // A chosen placement outlives edits that keep the transport...
      await balancing(admin, server.id, { connectionPlacement: 'EVERY_HUB' });
      await update({ args: ['-e', '1'] });
      expect(await placementOf(server.id)).toBe('EVERY_HUB');
      // ...and a change of transport resets it: a connection per hub is not a process per hub.
      await update({ transport: 'SSE', url: URL_A.replace('/mcp', '/sse') });
      await balancing(admin, server.id, { connectionPlacement: 'ONE_HUB' });
      await update({ transport: 'STREAMABLE_HTTP', url: URL_A });
      expect(await placementOf(server.id)).toBe('EVERY_HUB');
    });

    it('should refuse a value that is not a placement with an error naming the field and the enum, changing nothing', async () => {
      const server = await registerServer(admin, { name: 'badly-placed', transport: 'STREAMABLE_HTTP', url: URL_A });
      const before = await rowText('mcp_servers', server.id);
      const bad = await balancing(admin, server.id, { connectionPlacement: 'SOMEWHERE', weight: 5 });
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].message).toMatch(/connectionPlacement/);
      expect(bad.errors?.[0].message).toMatch(/"SOMEWHERE" does not exist in "ConnectionPlacement" enum/);
      expect(bad.data?.updateServerBalancing).toBeUndefined();
      expect(await rowText('mcp_servers', server.id)).toBe(before);
      expect(await db.query(`SELECT weight FROM server_endpoints WHERE id = $1`, [server.id])).toEqual([{ weight: 1 }]);
    });
  });
});
