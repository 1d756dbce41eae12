import { describe, expect, it } from '@jest/globals';
import { groupClientConfig, groupEndpoints } from './group-endpoints.js';

describe(groupEndpoints.name, () => {
  it('should build both endpoints from the public URL and the slug', () => {
    expect(groupEndpoints('https://hub.example.com', 'team-a')).toEqual({
      streamableHttp: 'https://hub.example.com/mcp/team-a',
      sse: 'https://hub.example.com/sse/team-a',
    });
  });
});

describe(groupClientConfig.name, () => {
  it('should produce pretty JSON with the endpoint and a key placeholder', () => {
    const text = groupClientConfig('https://hub.example.com', 'team-a');
    expect(JSON.parse(text)).toEqual({
      mcpServers: {
        'team-a': { url: 'https://hub.example.com/mcp/team-a', headers: { Authorization: 'Bearer <YOUR_API_KEY>' } },
      },
    });
    expect(text).toContain('\n  "mcpServers": {');
    expect(text).not.toMatch(/mcph_/);
  });
});
