import { describe, expect, it } from '@jest/globals';
import { ServerTransport } from '#servers';
import { ClientConfigFormat } from './client-config-format.js';
import { parseClientConfig } from './parse-client-config.js';

const { MCP_SERVERS, VSCODE } = ClientConfigFormat;
const parse = (format: ClientConfigFormat, value: unknown) => parseClientConfig(format, typeof value === 'string' ? value : JSON.stringify(value));
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('did not throw');
};

/** The shapes the clients' own documentation shows (Claude Desktop quickstart, server-github README, Cursor docs, VS Code reference). */
const CLAUDE_DESKTOP = {
  mcpServers: {
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/username/Desktop', '/Users/username/Downloads'] },
    github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_example_token_value' } },
  },
};
const CURSOR = {
  mcpServers: {
    'my-api': { url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer your-token' } },
    legacy: { url: 'http://example.com:8000/sse' },
  },
};
const VSCODE_DOCS = {
  inputs: [{ type: 'promptString', id: 'perplexity-key', description: 'Perplexity API Key', password: true }],
  servers: {
    Perplexity: { type: 'stdio', command: 'npx', args: ['-y', 'server-perplexity-ask'], env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' } },
    fetch: { type: 'stdio', command: 'uvx', args: ['mcp-server-fetch'] },
    'my-remote-server': { type: 'http', url: 'http://api.contoso.com/mcp', headers: { Authorization: 'Bearer ${env:MY_SERVICE_TOKEN}', 'X-Tenant': 'acme' } },
    events: { type: 'sse', url: 'https://events.example.com/stream' },
  },
};

describe(parseClientConfig.name, () => {
  it('should read Claude Desktop stdio entries with their env values', () => {
    const { servers, pending } = parse(MCP_SERVERS, CLAUDE_DESKTOP);
    expect(servers.map((s) => [s.key, s.transport, s.command])).toEqual([
      ['filesystem', ServerTransport.STDIO, 'npx'],
      ['github', ServerTransport.STDIO, 'npx'],
    ]);
    expect(servers[0].args).toEqual(CLAUDE_DESKTOP.mcpServers.filesystem.args);
    expect(servers[1].env).toEqual([{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: 'ghp_example_token_value' }]);
    expect(pending).toEqual([]);
  });

  it('should read Cursor url entries: Streamable HTTP unless the path is the /sse convention', () => {
    const { servers } = parse(MCP_SERVERS, CURSOR);
    expect(servers.map((s) => [s.key, s.transport, s.url])).toEqual([
      ['my-api', ServerTransport.STREAMABLE_HTTP, 'https://api.example.com/mcp'],
      ['legacy', ServerTransport.SSE, 'http://example.com:8000/sse'],
    ]);
    expect(servers[0].headers).toEqual([{ name: 'Authorization', value: 'Bearer your-token' }]);
  });

  it('should read VS Code entries by type and turn ${input:…} and ${env:…} values into pending items, not literals', () => {
    const { servers, pending } = parse(VSCODE, VSCODE_DOCS);
    expect(servers.map((s) => [s.key, s.transport])).toEqual([
      ['Perplexity', ServerTransport.STDIO],
      ['fetch', ServerTransport.STDIO],
      ['my-remote-server', ServerTransport.STREAMABLE_HTTP],
      ['events', ServerTransport.SSE],
    ]);
    // Stored as credential templates: each person sets PERPLEXITY_KEY once instead of the file's prompt.
    expect(servers[0].env).toEqual([{ name: 'PERPLEXITY_API_KEY', value: '${PERPLEXITY_KEY}' }]);
    expect(servers[2].headers).toEqual([
      { name: 'Authorization', value: 'Bearer ${MY_SERVICE_TOKEN}' },
      { name: 'X-Tenant', value: 'acme' },
    ]);
    expect(pending).toEqual([
      { serverKey: 'Perplexity', kind: 'ENV', name: 'PERPLEXITY_API_KEY', reference: '${input:perplexity-key}', variable: 'PERPLEXITY_KEY', description: 'Perplexity API Key' },
      { serverKey: 'my-remote-server', kind: 'HEADER', name: 'Authorization', reference: 'Bearer ${env:MY_SERVICE_TOKEN}', variable: 'MY_SERVICE_TOKEN', description: null },
    ]);
  });

  it("should read VS Code's settings.json shape (servers under mcp)", () => {
    const { servers } = parse(VSCODE, { mcp: { servers: { fetch: { type: 'stdio', command: 'uvx', args: ['mcp-server-fetch'] } } } });
    expect(servers.map((s) => s.key)).toEqual(['fetch']);
  });

  it('should import a disabled entry disabled and say what it leaves out', () => {
    const { servers, warnings } = parse(MCP_SERVERS, { mcpServers: { x: { command: 'npx', disabled: true, autoApprove: [], envFile: '.env', foo: 1 } } });
    expect(servers[0].enabled).toBe(false);
    expect(warnings).toEqual([
      'x: "foo" is not imported',
      'x: disabled in the file; imported disabled',
      'x: envFile is not read (the file is on your machine); set those variables after import',
    ]);
  });

  it('should refuse bad input naming the entry and the field', () => {
    expect(messageOf(() => parse(MCP_SERVERS, '{"mcpServers": {'))).toMatch(/^json: is not valid JSON/);
    expect(messageOf(() => parse(MCP_SERVERS, { servers: {} }))).toMatch(/^json\.mcpServers: is required/);
    expect(messageOf(() => parse(VSCODE, CLAUDE_DESKTOP))).toMatch(/^json\.servers: is required/);
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: {} }))).toBe('json.mcpServers: holds no servers');
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: { gh: { command: 'npx', args: ['-y', 1] } } }))).toBe('json.mcpServers.gh.args.1: must be a string');
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: { gh: { command: 'npx', env: { TOKEN: 42 } } } }))).toBe('json.mcpServers.gh.env.TOKEN: must be a string');
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: { gh: { args: [] } } }))).toMatch(/^json\.mcpServers\.gh: needs a command/);
    expect(messageOf(() => parse(VSCODE, { servers: { w: { type: 'websocket', url: 'ws://x' } } }))).toMatch(/^json\.servers\.w\.type: "websocket"/);
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: { h: { url: 'https://x/mcp', env: { A: 'b' } } } }))).toMatch(/^json\.mcpServers\.h\.env: is only for stdio/);
    expect(messageOf(() => parse(VSCODE, { servers: { f: { type: 'stdio', command: 'npx', args: ['--token', '${input:tok}'] } } }))).toMatch(
      /^json\.servers\.f\.args\.1: refers to \$\{input:tok\}/,
    );
    expect(messageOf(() => parse(VSCODE, { servers: { f: { type: 'stdio', command: 'node', args: ['${workspaceFolder}/server.js'] } } }))).toMatch(
      /^json\.servers\.f\.args\.0: uses \$\{workspaceFolder\}/,
    );
  });

  it('should refuse a file too large or with too many servers', () => {
    expect(messageOf(() => parse(MCP_SERVERS, 'x'.repeat(256 * 1024 + 1)))).toMatch(/^json: must be at most 256 KiB/);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`s${i}`, { command: 'npx' }]));
    expect(messageOf(() => parse(MCP_SERVERS, { mcpServers: many }))).toMatch(/^json\.mcpServers: must hold at most 50/);
  });
});
