import { describe, expect, it } from '@jest/globals';
import { isHubRoute } from './hub-route-prefixes.js';

describe(isHubRoute.name, () => {
  it('should leave the hub its own routes', () => {
    for (const path of ['/graphql', '/mcp/team', '/sse/team', '/auth/github/callback', '/health/live', '/metrics', '/call-log/export', '/audit/export', '/oauth/upstream/callback', '/backups/upload', '/backups/1/download']) {
      expect(isHubRoute(path)).toBe(true);
    }
  });

  it('should give the dashboard its pages, the audit log page included though the audit export lies below it', () => {
    for (const path of ['/', '/audit', '/audit/', '/backups', '/calls', '/servers/42', '/profile']) expect(isHubRoute(path)).toBe(false);
  });
});
