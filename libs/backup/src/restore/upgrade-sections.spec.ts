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
    expect(upgraded.mcp_servers).toEqual([{ id: 's1', slug: 'a', owner_id: 'u1', created_at: at, updated_at: at }]);
    expect(upgraded).not.toHaveProperty('server_replicas');
    expect(upgraded.server_endpoints).toEqual([
      { id: 's1', server_id: 's1', primary: true, name: 'primary', transport: 'STDIO', command: 'node', args: ['x'], cwd: null, url: null, env: sealed, headers: [], weight: 2, priority: 1, enabled: true, created_at: at, updated_at: at },
      expect.objectContaining({ id: 'r1', server_id: 's1', primary: false, name: 'twin', enabled: false }),
    ]);
  });

  it('should leave an archive of the current shape as it is', () => {
    const current = { mcp_servers: [{ id: 's1', slug: 'a' }], server_endpoints: [{ id: 's1', server_id: 's1', primary: true }] };
    expect(upgradeSections(current)).toBe(current);
  });
});
