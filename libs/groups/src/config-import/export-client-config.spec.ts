import { describe, expect, it } from '@jest/globals';
import { ServerTransport, type McpServer, type ServerEndpoint } from '#servers';
import { ClientConfigFormat } from './client-config-format.js';
import { memberServersConfig } from './export-client-config.js';
import { parseClientConfig } from './parse-client-config.js';

const SEALED = 'v1:sealed-ciphertext';
const server = ({ slug, name, enabled = true, ...endpoint }: Partial<ServerEndpoint> & Pick<McpServer, 'slug' | 'name'> & { enabled?: boolean }): McpServer =>
  ({
    id: 'id',
    slug,
    name,
    enabled,
    endpoints: [{ id: 'id', primary: true, transport: ServerTransport.STDIO, command: null, args: [], env: [], cwd: null, url: null, headers: [], ...endpoint }],
  }) as McpServer;
const MEMBERS = [
  server({ slug: 'github', name: 'GitHub', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: [{ name: 'GITHUB_TOKEN', value: SEALED }] }),
  server({ slug: 'api', name: 'API', transport: ServerTransport.STREAMABLE_HTTP, url: 'https://api.example.com/mcp', headers: [{ name: 'Authorization', value: SEALED }] }),
  server({ slug: '1password', name: 'Old', transport: ServerTransport.SSE, url: 'https://x.example.com/sse', enabled: false }),
];

describe(memberServersConfig.name, () => {
  it('should write mcpServers with ${env:…} references in place of every secret', () => {
    const text = memberServersConfig(ClientConfigFormat.MCP_SERVERS, MEMBERS);
    expect(text).not.toContain(SEALED);
    expect(JSON.parse(text)).toEqual({
      mcpServers: {
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}' } },
        api: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: '${env:API_AUTHORIZATION}' } },
        'mcp-1password': { type: 'sse', url: 'https://x.example.com/sse', disabled: true },
      },
    });
  });

  it('should write VS Code servers with a password input per secret', () => {
    const parsed = JSON.parse(memberServersConfig(ClientConfigFormat.VSCODE, MEMBERS));
    expect(parsed.inputs).toEqual([
      { type: 'promptString', id: 'github-github_token', description: 'GITHUB_TOKEN for GitHub', password: true },
      { type: 'promptString', id: 'api-authorization', description: 'Authorization for API', password: true },
    ]);
    expect(parsed.servers.github).toEqual({ type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: '${input:github-github_token}' } });
    expect(parsed.servers.api.headers).toEqual({ Authorization: '${input:api-authorization}' });
  });

  // VS Code's mcp.json has no "disabled": a disabled member comes back enabled from that format.
  it('should round-trip: importing the export gives the same servers, each secret a pending value filled from a credential', () => {
    for (const format of [ClientConfigFormat.MCP_SERVERS, ClientConfigFormat.VSCODE]) {
      const { servers, pending } = parseClientConfig(format, memberServersConfig(format, MEMBERS));
      expect(servers.map((s) => [s.transport, s.command ?? s.url, s.enabled])).toEqual(MEMBERS.map((m) => [m.endpoints[0].transport, m.endpoints[0].command ?? m.endpoints[0].url, format === ClientConfigFormat.VSCODE || m.enabled]));
      expect(pending.map((p) => [p.kind, p.name])).toEqual([['ENV', 'GITHUB_TOKEN'], ['HEADER', 'Authorization']]);
      // Only templates are stored, never a value.
      const stored = servers.flatMap((s) => [...s.env, ...s.headers]);
      expect(stored.map((e) => e.value)).toEqual(pending.map((p) => `\${${p.variable}}`));
    }
  });
});
