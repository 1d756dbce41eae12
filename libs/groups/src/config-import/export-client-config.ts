import { ServerTransport, primaryEndpoint, type McpServer } from '#servers';
import { clientServerName } from '../client-configs.js';
import { ClientConfigFormat } from './client-config-format.js';

/**
 * The member servers' own definitions in a client's format, with every env and header value replaced by a reference
 * the client resolves on the user's machine: `${env:NAME}` in mcpServers (Cursor reads it from the environment;
 * Claude Desktop needs the value typed in), a password `${input:…}` prompt in VS Code. Never a stored value; and
 * importing the text again turns each reference into a "set after import" item, not a literal.
 */
export function memberServersConfig(format: ClientConfigFormat, servers: McpServer[]): string {
  const inputs: object[] = [];
  const entries = Object.fromEntries(
    servers.map((s) => {
      const name = clientServerName(s.slug);
      const placeholder = (kind: 'env' | 'header', key: string) => {
        if (format === ClientConfigFormat.MCP_SERVERS) return kind === 'env' ? `\${env:${key}}` : `\${env:${envName(`${s.slug}_${key}`)}}`;
        const id = `${name}-${key}`.toLowerCase();
        inputs.push({ type: 'promptString', id, description: `${key} for ${s.name}`, password: true });
        return `\${input:${id}}`;
      };
      return [name, definition(format, s, placeholder)];
    }),
  );
  const root = format === ClientConfigFormat.VSCODE ? { inputs, servers: entries } : { mcpServers: entries };
  return JSON.stringify(root, null, 2);
}

function definition(format: ClientConfigFormat, server: McpServer, placeholder: (kind: 'env' | 'header', key: string) => string): object {
  const disabled = server.enabled ? {} : format === ClientConfigFormat.MCP_SERVERS ? { disabled: true } : {};
  // A client config has one definition per server: its primary endpoint (replicas are the hub's business).
  const s = primaryEndpoint(server);
  if (s.transport === ServerTransport.STDIO) {
    return {
      ...(format === ClientConfigFormat.VSCODE ? { type: 'stdio' } : {}),
      command: s.command,
      args: s.args,
      ...(s.env.length ? { env: Object.fromEntries(s.env.map((e) => [e.name, placeholder('env', e.name)])) } : {}),
      ...(s.cwd ? { cwd: s.cwd } : {}),
      ...disabled,
    };
  }
  const type = s.transport === ServerTransport.SSE ? 'sse' : 'http';
  return {
    type,
    url: s.url,
    ...(s.headers.length ? { headers: Object.fromEntries(s.headers.map((h) => [h.name, placeholder('header', h.name)])) } : {}),
    ...disabled,
  };
}

/** `github_X-Api-Key` → `GITHUB_X_API_KEY`: a name a shell could export. */
function envName(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
