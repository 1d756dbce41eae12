import { describe, expect, it } from '@jest/globals';
import { parseBatch } from './usage.mover.js';
import { parseRowKey, rowKey } from './usage-row.js';

describe('usage row ids', () => {
  it('should give back a tool name that contains the separator', () => {
    const id = rowKey('k', 's', 3_600_000, 'odd|tool|name');
    expect(parseRowKey(id)).toEqual({ keyId: 'k', serverId: 's', hour: 3_600_000, tool: 'odd|tool|name' });
  });

  it('should rebuild rows from a batch hash and skip rows without calls', () => {
    const id = rowKey('k', 's', 0, 'echo');
    const rows = parseBatch({ [`c|${id}`]: '3', [`e|${id}`]: '1', [`l|${id}`]: '7.5', [`m|${id}`]: '4', [`s|${id}`]: 'everything', [`s|${rowKey('k', 's', 0, 'x')}`]: 'y' });
    expect(rows).toEqual([{ keyId: 'k', serverId: 's', tool: 'echo', hour: new Date(0), serverSlug: 'everything', calls: 3, errors: 1, totalLatencyMs: 7.5, maxLatencyMs: 4 }]);
  });
});
