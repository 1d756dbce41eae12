import { describe, expect, it } from '@jest/globals';
import { groupEndpoints } from './group-endpoints.js';

describe(groupEndpoints.name, () => {
  it('should build both endpoints from the public URL and the slug', () => {
    expect(groupEndpoints('https://hub.example.com', 'team-a')).toEqual({
      streamableHttp: 'https://hub.example.com/mcp/team-a',
      sse: 'https://hub.example.com/sse/team-a',
    });
  });
});
