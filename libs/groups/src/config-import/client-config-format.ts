/** The two JSON shapes MCP clients keep their servers in. */
export enum ClientConfigFormat {
  /** `{ "mcpServers": { name: { command, args, env } | { url, headers } } }`: Claude Desktop, Cursor, Windsurf, Cline… */
  MCP_SERVERS = 'MCP_SERVERS',
  /** `{ "inputs": [...], "servers": { name: { type: "stdio" | "http" | "sse", … } } }`: VS Code's mcp.json. */
  VSCODE = 'VSCODE',
}
