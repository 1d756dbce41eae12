import { describe, expect, it } from '@jest/globals';
import { upgradeSections } from './upgrade-sections.js';

const at = '2026-11-01T10:00:00.000Z';
const sealed = [{ name: 'API_TOKEN', value: 'v1.abcd1234.iv.body' }];

describe(upgradeSections.name, () => {
  it('should turn a pre-endpoints archive into server_endpoints rows: the server as its primary (same id), the replicas as the others', () => {
    const upgraded = upgradeSections({
      users: [{ id: 'u1' }],
      mcp_servers: [
        { id: 's1', slug: 'a', transport: 'STDIO', command: 'node', args: ['x'], cwd: null, url: null, env: sealed, headers: [], weight: 2, priority: 1, owner_id: 'u1', created_at: at, updated_at: at },
      ],
      server_replicas: [{ id: 'r1', server_id: 's1', name: 'twin', transport: 'STDIO', command: 'node', args: [], cwd: null, url: null, env: [], headers: [], weight: 1, priority: 0, enabled: false, created_at: at, updated_at: at }],
    });
    expect(upgraded.users).toEqual([{ id: 'u1' }]);
    expect(upgraded.mcp_servers).toEqual([{ id: 's1', slug: 'a', owner_id: 'u1', created_at: at, updated_at: at, connection_placement: 'ONE_HUB' }]);
    expect(upgraded).not.toHaveProperty('server_replicas');
    expect(upgraded.server_endpoints).toEqual([
      { id: 's1', server_id: 's1', primary: true, name: 'primary', transport: 'STDIO', command: 'node', args: ['x'], cwd: null, url: null, env: sealed, headers: [], weight: 2, priority: 1, enabled: true, created_at: at, updated_at: at },
      expect.objectContaining({ id: 'r1', server_id: 's1', primary: false, name: 'twin', enabled: false }),
    ]);
  });

  it('should give servers of an archive from before connection placement the creation default of their transport', () => {
    const upgraded = upgradeSections({
      mcp_servers: [
        { id: 's1', slug: 'local' },
        { id: 's2', slug: 'remote' },
        { id: 's3', slug: 'streamed' },
        { id: 's4', slug: 'orphan' },
      ],
      server_endpoints: [
        { id: 's1', server_id: 's1', primary: true, transport: 'STDIO' },
        { id: 'r1', server_id: 's2', primary: false, transport: 'STDIO' },
        { id: 's2', server_id: 's2', primary: true, transport: 'SSE' },
        { id: 's3', server_id: 's3', primary: true, transport: 'STREAMABLE_HTTP' },
      ],
    });
    // A replica's transport does not count; a server without a primary is left for the restore to skip.
    expect(upgraded.mcp_servers).toEqual([
      { id: 's1', slug: 'local', connection_placement: 'ONE_HUB' },
      { id: 's2', slug: 'remote', connection_placement: 'EVERY_HUB' },
      { id: 's3', slug: 'streamed', connection_placement: 'EVERY_HUB' },
      { id: 's4', slug: 'orphan' },
    ]);
  });

  it('should keep the placement an archive holds, whatever the transport', () => {
    const upgraded = upgradeSections({
      mcp_servers: [{ id: 's1', slug: 'a', connection_placement: 'EVERY_HUB' }, { id: 's2', slug: 'b' }],
      server_endpoints: [
        { id: 's1', server_id: 's1', primary: true, transport: 'STDIO' },
        { id: 's2', server_id: 's2', primary: true, transport: 'STDIO' },
      ],
    });
    expect(upgraded.mcp_servers).toEqual([
      { id: 's1', slug: 'a', connection_placement: 'EVERY_HUB' },
      { id: 's2', slug: 'b', connection_placement: 'ONE_HUB' },
    ]);
  });

  it('should leave an archive of the current shape as it is', () => {
    const current = { mcp_servers: [{ id: 's1', slug: 'a', connection_placement: 'ONE_HUB' }], server_endpoints: [{ id: 's1', server_id: 's1', primary: true, transport: 'STDIO' }] };
    expect(upgradeSections(current)).toBe(current);
  });
});
