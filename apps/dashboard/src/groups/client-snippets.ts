/** The placeholder shown when the key is not known (it is only shown once, when created). */
export const KEY_PLACEHOLDER = '<YOUR_API_KEY>';

export interface ClientSnippet {
  client: 'cursor' | 'claude-desktop' | 'claude-code' | 'vscode';
  label: string;
  /** Where the snippet goes. */
  where: string;
  language: 'json' | 'shell';
  text: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * How each client connects to a group's Streamable HTTP endpoint with an API key. Claude Desktop's config file
 * only starts local programs, so it reaches remote servers through the `mcp-remote` bridge (the key travels in an
 * environment variable: arguments with spaces are mangled on some platforms).
 */
export function clientSnippets(name: string, url: string, apiKey = KEY_PLACEHOLDER): ClientSnippet[] {
  const authorization = `Bearer ${apiKey}`;
  return [
    {
      client: 'cursor',
      label: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
      language: 'json',
      text: json({ mcpServers: { [name]: { url, headers: { Authorization: authorization } } } }),
    },
    {
      client: 'claude-desktop',
      label: 'Claude Desktop',
      where: 'claude_desktop_config.json (Settings → Developer → Edit config)',
      language: 'json',
      text: json({
        mcpServers: {
          [name]: { command: 'npx', args: ['-y', 'mcp-remote', url, '--header', 'Authorization:${MCP_HUB_AUTH}'], env: { MCP_HUB_AUTH: authorization } },
        },
      }),
    },
    {
      client: 'claude-code',
      label: 'Claude Code',
      where: 'a terminal',
      language: 'shell',
      text: `claude mcp add --transport http ${name} ${url} --header "Authorization: ${authorization}"`,
    },
    {
      client: 'vscode',
      label: 'VS Code',
      where: '.vscode/mcp.json (or the user mcp.json)',
      language: 'json',
      text: json({ servers: { [name]: { type: 'http', url, headers: { Authorization: authorization } } } }),
    },
  ];
}
