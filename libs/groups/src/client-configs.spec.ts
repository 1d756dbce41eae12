import { describe, expect, it } from '@jest/globals';
import { API_KEY_PLACEHOLDER, clientServerName, groupClientConfigs, McpClientId, SnippetLanguage } from './client-configs.js';

const URL = 'https://hub.example.com/mcp/team-a';
const byClient = (url = URL, slug = 'team-a') => new Map(groupClientConfigs(url, slug).map((c) => [c.client, c]));

describe(groupClientConfigs.name, () => {
  it('should write one snippet per client, each with a label, a location and a docs URL', () => {
    const configs = groupClientConfigs(URL, 'team-a');
    expect(configs.map((c) => c.client)).toEqual(Object.values(McpClientId));
    for (const c of configs) {
      expect(c.label).not.toBe('');
      expect(c.location).not.toBe('');
      expect(new globalThis.URL(c.docsUrl).protocol).toBe('https:');
      expect(c.text).not.toMatch(/mcph_/);
    }
  });

  it('should give Cursor mcpServers with the url and an Authorization header', () => {
    const cursor = byClient().get(McpClientId.CURSOR)!;
    expect(cursor.language).toBe(SnippetLanguage.JSON);
    expect(JSON.parse(cursor.text)).toEqual({ mcpServers: { 'team-a': { url: URL, headers: { Authorization: `Bearer ${API_KEY_PLACEHOLDER}` } } } });
    expect(cursor.text).toContain('\n  "mcpServers": {');
  });

  it('should give Claude Desktop mcp-remote with a space-free --header argument and the key in env', () => {
    const desktop = byClient().get(McpClientId.CLAUDE_DESKTOP)!;
    const entry = JSON.parse(desktop.text).mcpServers['team-a'];
    expect(entry).toEqual({
      command: 'npx',
      args: ['-y', 'mcp-remote', URL, '--header', 'Authorization:${AUTH_HEADER}'],
      env: { AUTH_HEADER: `Bearer ${API_KEY_PLACEHOLDER}` },
    });
    expect((entry.args as string[]).some((a) => a.includes(' '))).toBe(false);
  });

  it('should give VS Code an http server whose key comes from a password prompt', () => {
    const vscode = byClient().get(McpClientId.VSCODE)!;
    expect(vscode.keyPlaceholder).toBeNull();
    expect(JSON.parse(vscode.text)).toEqual({
      inputs: [{ type: 'promptString', id: 'team-a-api-key', description: 'API key for the MCP Hub group team-a', password: true }],
      servers: { 'team-a': { type: 'http', url: URL, headers: { Authorization: 'Bearer ${input:team-a-api-key}' } } },
    });
  });

  it('should give shell commands for Claude Code and the Inspector pinned to a version that has --header', () => {
    const configs = byClient();
    expect(configs.get(McpClientId.CLAUDE_CODE)!.text).toBe(
      `claude mcp add --transport http team-a ${URL} --header "Authorization: Bearer ${API_KEY_PLACEHOLDER}"`,
    );
    const inspector = configs.get(McpClientId.MCP_INSPECTOR)!;
    expect(inspector.language).toBe(SnippetLanguage.SHELL);
    expect(inspector.text).toBe(
      `npx @modelcontextprotocol/inspector@0.21.1 --cli ${URL} --transport http --header "Authorization: Bearer ${API_KEY_PLACEHOLDER}" --method tools/list`,
    );
  });

  it('should quote an endpoint URL a shell would split or expand', () => {
    const odd = "https://hub.example.com/a b?x=1&y='2'/mcp/team-a";
    expect(byClient(odd).get(McpClientId.CLAUDE_CODE)!.text).toContain(` '${odd.replaceAll("'", "'\\''")}' --header`);
  });
});

describe(clientServerName.name, () => {
  it('should keep a slug that starts with a letter and prefix one that starts with a digit', () => {
    expect(clientServerName('team-a')).toBe('team-a');
    expect(clientServerName('42-team')).toBe('mcp-42-team');
  });
});
