/** The MCP clients the hub writes a configuration snippet for, each in the format that client documents. */
export enum McpClientId {
  CURSOR = 'CURSOR',
  CLAUDE_DESKTOP = 'CLAUDE_DESKTOP',
  CLAUDE_CODE = 'CLAUDE_CODE',
  VSCODE = 'VSCODE',
  MCP_INSPECTOR = 'MCP_INSPECTOR',
}

export enum SnippetLanguage {
  JSON = 'JSON',
  SHELL = 'SHELL',
}

/** Stands where the API key goes: keys are shown once, so a snippet never holds a real one. */
export const API_KEY_PLACEHOLDER = '<YOUR_API_KEY>';

/**
 * `npx` on Node 20 silently resolves an old Inspector (later ones declare Node >= 22) that has no `--header`;
 * this one has it and runs on Node 20 (engine warning only). The project's devDependency pins the same version.
 */
export const INSPECTOR_VERSION = '0.21.1';

export interface ClientConfig {
  client: McpClientId;
  label: string;
  /** Where the snippet goes. */
  location: string;
  language: SnippetLanguage;
  text: string;
  /** What to replace with the key; null when the client asks for the key itself (VS Code). */
  keyPlaceholder: string | null;
  docsUrl: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A URL as one shell word: quoted only when it holds something a shell would read (`&`, `?`, spaces…). */
const shellWord = (value: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

/** VS Code wants server names that start with a letter; slugs may start with a digit. */
export function clientServerName(slug: string): string {
  return /^[a-z]/.test(slug) ? slug : `mcp-${slug}`;
}

/** One snippet per client for a group's Streamable HTTP endpoint, in the order the dashboard shows them. */
export function groupClientConfigs(endpointUrl: string, slug: string): ClientConfig[] {
  const name = clientServerName(slug);
  const bearer = `Bearer ${API_KEY_PLACEHOLDER}`;
  const vscodeInput = `${name}-api-key`;
  return [
    {
      client: McpClientId.CURSOR,
      label: 'Cursor',
      location: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
      language: SnippetLanguage.JSON,
      text: json({ mcpServers: { [name]: { url: endpointUrl, headers: { Authorization: bearer } } } }),
      keyPlaceholder: API_KEY_PLACEHOLDER,
      docsUrl: 'https://cursor.com/docs/context/mcp',
    },
    {
      // Claude Desktop's config file only starts local programs: mcp-remote bridges stdio to the remote endpoint.
      // No space in the argument (Claude Desktop on Windows mangles spaces in args), and the key stays in env,
      // out of the process list: mcp-remote expands ${AUTH_HEADER} itself.
      client: McpClientId.CLAUDE_DESKTOP,
      label: 'Claude Desktop',
      location: 'claude_desktop_config.json (Settings → Developer → Edit Config)',
      language: SnippetLanguage.JSON,
      text: json({
        mcpServers: {
          [name]: {
            command: 'npx',
            args: ['-y', 'mcp-remote', endpointUrl, '--header', 'Authorization:${AUTH_HEADER}'],
            env: { AUTH_HEADER: bearer },
          },
        },
      }),
      keyPlaceholder: API_KEY_PLACEHOLDER,
      docsUrl: 'https://www.npmjs.com/package/mcp-remote',
    },
    {
      client: McpClientId.CLAUDE_CODE,
      label: 'Claude Code',
      location: 'a terminal',
      language: SnippetLanguage.SHELL,
      text: `claude mcp add --transport http ${name} ${shellWord(endpointUrl)} --header "Authorization: ${bearer}"`,
      keyPlaceholder: API_KEY_PLACEHOLDER,
      docsUrl: 'https://code.claude.com/docs/en/mcp',
    },
    {
      // VS Code prompts for the key once and keeps it in its secret storage: the file holds no secret.
      client: McpClientId.VSCODE,
      label: 'VS Code',
      location: '.vscode/mcp.json (or the user mcp.json: MCP: Open User Configuration)',
      language: SnippetLanguage.JSON,
      text: json({
        inputs: [{ type: 'promptString', id: vscodeInput, description: `API key for the MCP Hub group ${slug}`, password: true }],
        servers: { [name]: { type: 'http', url: endpointUrl, headers: { Authorization: `Bearer \${input:${vscodeInput}}` } } },
      }),
      keyPlaceholder: null,
      docsUrl: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
    },
    {
      client: McpClientId.MCP_INSPECTOR,
      label: 'MCP Inspector',
      location: 'a terminal (lists the tools)',
      language: SnippetLanguage.SHELL,
      text: `npx @modelcontextprotocol/inspector@${INSPECTOR_VERSION} --cli ${shellWord(endpointUrl)} --transport http --header "Authorization: ${bearer}" --method tools/list`,
      keyPlaceholder: API_KEY_PLACEHOLDER,
      docsUrl: 'https://github.com/modelcontextprotocol/inspector#cli-mode',
    },
  ];
}
