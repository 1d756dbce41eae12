import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { rawPost } from '../support/mcp-clients.js';
import { waitFor } from '../support/upstreams.js';

const target = databaseTargets[databaseTargets.length - 1];
const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
// Long enough for two key creations and a call on a busy CI machine (1.5 s once was not: "must be in the future").
const LIFETIME_MS = 4_000;

describe('API key expiry on MCP endpoints', () => {
  let hub: RunningHub;
  let admin: GraphQLClient;

  beforeAll(async () => {
    hub = await startHub(target);
    admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    await createGroup(admin, 'main', []);
  });
  afterAll(() => hub?.close());

  it('should refuse an expired key with 401, also when it was verified and cached before it expired', async () => {
    const expiresAt = new Date(Date.now() + LIFETIME_MS);
    const cached = await createKey(admin, { expiresAt: expiresAt.toISOString() });
    const unseen = await createKey(admin, { expiresAt: expiresAt.toISOString() });
    // Used while valid: now the verifier holds it in memory.
    expect((await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${cached.secret}` })).status).toBe(200);

    // The clock has to pass expiresAt; nothing else changes (no bus event drops the cached entry).
    await waitFor(() => Date.now() > expiresAt.getTime() + 50, LIFETIME_MS + 5_000, 'the keys to expire');
    for (const key of [cached, unseen]) {
      const res = await rawPost(`${hub.url}/mcp/main`, init, { authorization: `Bearer ${key.secret}` });
      expect(res.status).toBe(401);
      expect(res.json?.error?.message).toMatch(/expired/);
    }
  });
});
