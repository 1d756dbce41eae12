import { badInput } from '#core';
import { ServerTransport } from '#servers';
import { ClientConfigFormat } from './client-config-format.js';

export const MAX_CONFIG_JSON_BYTES = 256 * 1024;
export const MAX_IMPORTED_SERVERS = 50;

/** One server entry of a client config, in the hub's terms (values in clear: the caller seals them). */
export interface ParsedServer {
  /** The entry's key in the file: the server's name. */
  key: string;
  /** Where the entry is in the file, for errors: `json.mcpServers.github`. */
  at: string;
  transport: ServerTransport;
  command: string | null;
  args: string[];
  env: { name: string; value: string }[];
  cwd: string | null;
  url: string | null;
  headers: { name: string; value: string }[];
  enabled: boolean;
}

/**
 * A value the file refers to instead of holding (`${input:token}`, `${env:TOKEN}`): stored on the server as a
 * `${VARIABLE}` template that each person's (or a team's, or the hub's) credential fills, so it is set once, not here.
 */
export interface PendingValue {
  serverKey: string;
  kind: 'ENV' | 'HEADER';
  name: string;
  /** The reference as written, e.g. `Bearer ${input:github-token}`. */
  reference: string;
  /** The credential that fills it, e.g. `GITHUB_TOKEN` (the value stored is `Bearer ${GITHUB_TOKEN}`). */
  variable: string;
  /** From VS Code's `inputs` entry, when there is one. */
  description: string | null;
}

export interface ParsedClientConfig {
  servers: ParsedServer[];
  pending: PendingValue[];
  /** What the file says that the hub does not import (disabled flags, envFile…), one line each. */
  warnings: string[];
}

/** `${input:id}` (VS Code), `${env:NAME}` (Cursor, VS Code): resolved by the client on the user's machine. */
const REFERENCE = /\$\{(input|env):([^}]+)\}/;
const REFERENCES = new RegExp(REFERENCE.source, 'g');

/** The credential name a reference becomes: `${env:GITHUB_TOKEN}` → GITHUB_TOKEN, `${input:github-token}` → GITHUB_TOKEN. */
export function variableOf(id: string): string {
  const name = id.trim().replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
/** Cursor's and VS Code's predefined variables: paths on the user's machine, meaningless on the hub's. */
const MACHINE_VARIABLE = /\$\{(workspaceFolder|workspaceFolderBasename|userHome|pathSeparator|\/)\}/;
/** Fields clients use that change nothing about where the server is (approval lists, timeouts, VS Code gallery data). */
const IGNORED_FIELDS = new Set(['autoApprove', 'alwaysAllow', 'timeout', 'description', 'gallery', 'version', 'dev', 'transportType']);
const KNOWN_FIELDS = new Set(['type', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'envFile', 'disabled', ...IGNORED_FIELDS]);

/**
 * Parses a client's config file into server definitions. Throws BAD_INPUT naming the entry and the field
 * (`json.mcpServers.github.args`) on anything it cannot import faithfully; it never guesses a value.
 */
export function parseClientConfig(format: ClientConfigFormat, text: string): ParsedClientConfig {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_JSON_BYTES) throw badInput('json', `must be at most ${MAX_CONFIG_JSON_BYTES / 1024} KiB`);
  const root = parseJson(text);
  const { field, entries } = format === ClientConfigFormat.VSCODE ? vscodeServers(root) : mcpServers(root);
  const names = Object.keys(entries);
  if (!names.length) throw badInput(`json.${field}`, 'holds no servers');
  if (names.length > MAX_IMPORTED_SERVERS) throw badInput(`json.${field}`, `must hold at most ${MAX_IMPORTED_SERVERS} servers`);
  const inputs = format === ClientConfigFormat.VSCODE ? vscodeInputs(root) : new Map<string, string | null>();
  const result: ParsedClientConfig = { servers: [], pending: [], warnings: [] };
  for (const key of names) result.servers.push(parseEntry(format, `json.${field}.${key}`, key, entries[key], inputs, result));
  return result;
}

function parseJson(text: string): Record<string, unknown> {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw badInput('json', `is not valid JSON (${(error as Error).message}); paste the whole file, comments removed`);
  }
  if (!isObject(root)) throw badInput('json', 'must be a JSON object');
  return root;
}

function mcpServers(root: Record<string, unknown>) {
  if (!isObject(root.mcpServers)) throw badInput('json.mcpServers', 'is required: an object of servers by name (Claude Desktop / Cursor format)');
  return { field: 'mcpServers', entries: root.mcpServers };
}

/** mcp.json has `servers` at the top; VS Code's settings.json nests it under `mcp`. */
function vscodeServers(root: Record<string, unknown>) {
  if (isObject(root.servers)) return { field: 'servers', entries: root.servers };
  if (isObject(root.mcp) && isObject(root.mcp.servers)) return { field: 'mcp.servers', entries: root.mcp.servers };
  throw badInput('json.servers', 'is required: an object of servers by name (VS Code mcp.json format)');
}

function vscodeInputs(root: Record<string, unknown>): Map<string, string | null> {
  const list = isObject(root.mcp) && Array.isArray(root.mcp.inputs) ? root.mcp.inputs : root.inputs;
  const inputs = new Map<string, string | null>();
  if (!Array.isArray(list)) return inputs;
  for (const input of list) if (isObject(input) && typeof input.id === 'string') inputs.set(input.id, typeof input.description === 'string' ? input.description : null);
  return inputs;
}

function parseEntry(
  format: ClientConfigFormat,
  at: string,
  key: string,
  entry: unknown,
  inputs: Map<string, string | null>,
  out: ParsedClientConfig,
): ParsedServer {
  if (!isObject(entry)) throw badInput(at, 'must be an object');
  for (const field of Object.keys(entry)) {
    if (!KNOWN_FIELDS.has(field)) out.warnings.push(`${key}: "${field}" is not imported`);
  }
  if (entry.disabled === true) out.warnings.push(`${key}: disabled in the file; imported disabled`);
  if (entry.envFile !== undefined) out.warnings.push(`${key}: envFile is not read (the file is on your machine); set those variables after import`);
  const transport = transportOf(format, at, entry);
  const stdio = transport === ServerTransport.STDIO;
  const server: ParsedServer = {
    key,
    at,
    transport,
    command: stdio ? literal(at, 'command', entry.command, true)! : null,
    args: stdio ? stringList(at, 'args', entry.args) : [],
    env: [],
    cwd: stdio ? literal(at, 'cwd', entry.cwd, false) : null,
    url: stdio ? null : literal(at, 'url', entry.url, true),
    headers: [],
    enabled: entry.disabled !== true,
  };
  if (stdio && entry.url !== undefined) throw badInput(`${at}.url`, 'is not allowed for a stdio server (it has a command)');
  if (!stdio && entry.command !== undefined) throw badInput(`${at}.command`, 'is not allowed for a URL server (it has a url)');
  const secrets = secretMap(at, stdio ? 'env' : 'headers', stdio ? entry.env : entry.headers);
  if (!stdio && entry.env !== undefined) throw badInput(`${at}.env`, 'is only for stdio servers (a URL server takes headers)');
  if (stdio && entry.headers !== undefined) throw badInput(`${at}.headers`, 'is only for URL servers (a stdio server takes env)');
  for (const [name, value] of secrets) {
    const ref = REFERENCE.exec(value);
    const template = value.replace(REFERENCES, (_, _kind: string, id: string) => `\${${variableOf(id)}}`);
    if (ref) {
      const description = ref[1] === 'input' ? (inputs.get(ref[2]) ?? null) : null;
      out.pending.push({ serverKey: key, kind: stdio ? 'ENV' : 'HEADER', name, reference: value, variable: variableOf(ref[2]), description });
    }
    (stdio ? server.env : server.headers).push({ name, value: template });
  }
  return server;
}

function transportOf(format: ClientConfigFormat, at: string, entry: Record<string, unknown>): ServerTransport {
  const type = entry.type;
  if (type !== undefined && typeof type !== 'string') throw badInput(`${at}.type`, 'must be a string');
  switch (type) {
    case 'stdio':
      return ServerTransport.STDIO;
    case 'sse':
      return ServerTransport.SSE;
    case 'http':
    case 'streamable-http':
    case 'streamableHttp':
      return ServerTransport.STREAMABLE_HTTP;
    case undefined:
      break;
    default:
      throw badInput(`${at}.type`, `"${type}" is not a transport the hub knows: use stdio, http or sse`);
  }
  if (entry.command !== undefined) return ServerTransport.STDIO;
  if (entry.url !== undefined) {
    // Without a type, Cursor tries Streamable HTTP and falls back to SSE; an /sse path is the old SSE convention.
    return typeof entry.url === 'string' && /\/sse\/?$/.test(entry.url.split('?')[0]) ? ServerTransport.SSE : ServerTransport.STREAMABLE_HTTP;
  }
  throw badInput(at, `needs a command (a stdio server) or a url${format === ClientConfigFormat.VSCODE ? ' with "type": "http" or "sse"' : ''}`);
}

/** A plain string field; a `${input:…}` or `${env:…}` reference there cannot be imported (not a secret, no place to set it). */
function literal(at: string, field: string, value: unknown, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw badInput(`${at}.${field}`, 'is required');
    return null;
  }
  if (typeof value !== 'string') throw badInput(`${at}.${field}`, 'must be a string');
  refuseReference(`${at}.${field}`, value);
  return value;
}

function stringList(at: string, field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badInput(`${at}.${field}`, 'must be an array of strings');
  return value.map((item, i) => {
    if (typeof item !== 'string') throw badInput(`${at}.${field}.${i}`, 'must be a string');
    refuseReference(`${at}.${field}.${i}`, item);
    return item;
  });
}

function secretMap(at: string, field: string, value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw badInput(`${at}.${field}`, 'must be an object of names to string values');
  return Object.entries(value).map(([name, v]) => {
    if (typeof v !== 'string') throw badInput(`${at}.${field}.${name}`, 'must be a string');
    return [name, v];
  });
}

function refuseReference(field: string, value: string): void {
  const machine = MACHINE_VARIABLE.exec(value);
  if (machine) throw badInput(field, `uses \${${machine[1]}}, a path on your machine that the hub cannot know; write the path on the hub's machine`);
  const ref = REFERENCE.exec(value);
  if (ref) {
    throw badInput(field, `refers to \${${ref[1]}:${ref[2]}}, which only your client can resolve; write the value in, or move it to env/headers (set after import)`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
