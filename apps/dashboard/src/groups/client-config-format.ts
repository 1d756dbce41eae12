export type ClientConfigFormat = 'MCP_SERVERS' | 'VSCODE';

export const FORMAT_OPTIONS: { value: ClientConfigFormat; label: string }[] = [
  { value: 'MCP_SERVERS', label: 'Claude Desktop / Cursor (mcpServers)' },
  { value: 'VSCODE', label: 'VS Code (servers)' },
];
