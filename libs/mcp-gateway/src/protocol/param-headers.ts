import { RpcCode, RpcError } from './json-rpc.js';

/**
 * The 2026-07-28 request headers that mirror the body (SEP-2243), in both directions: what the hub checks on an
 * agent's request and what it sends to a 2026 server. One reading of names, values and `x-mcp-header` declarations.
 */

/** Methods whose `Mcp-Name` header mirrors a body field. */
const NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** The name (or URI) a request is about, which `Mcp-Name` repeats; undefined for methods without one. */
export function nameOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  const value = field ? params?.[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A header value as the revision encodes it: plain visible ASCII as is, anything else Base64 in a sentinel. */
export function encodeHeaderValue(value: string): string {
  const plain = value.length > 0 && value === value.trim() && /^[\x20-\x7e\t]*$/.test(value) && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  return plain ? value : `${BASE64_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${BASE64_SUFFIX}`;
}

/** A header value as sent: `=?base64?…?=` is strict Base64 of UTF-8; anything else is literal. Undefined if malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX) && value.length >= BASE64_PREFIX.length + BASE64_SUFFIX.length)) return value;
  const encoded = value.slice(BASE64_PREFIX.length, value.length - BASE64_SUFFIX.length);
  return BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

/** A tool argument the tool's schema asks clients to mirror in an `Mcp-Param-<header>` header. */
export interface HeaderParam {
  /** Property names from the argument object down to the value. */
  path: string[];
  /** The header suffix as the schema spells it (`Region` → `Mcp-Param-Region`). */
  header: string;
  type?: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The `x-mcp-header` declarations of a tool's input schema, reached through `properties` only (read once per list). */
export function headerParamsOf(inputSchema: unknown): HeaderParam[] {
  const found: HeaderParam[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    const header = schema['x-mcp-header'];
    if (path.length && typeof header === 'string' && TOKEN.test(header)) found.push({ path, header, ...(typeof schema.type === 'string' ? { type: schema.type } : {}) });
    const properties = schema.properties;
    if (properties && typeof properties === 'object') for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
  };
  visit(inputSchema, []);
  return found;
}

const valueAt = (args: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), args);

/** The headers a call to a 2026 server carries: primitive argument values only; absent or null ones are left out. */
export function paramHeaders(params: readonly HeaderParam[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of params) {
    const value = valueAt(args, path);
    const name = `mcp-param-${header.toLowerCase()}`;
    if (typeof value === 'string') headers[name] = encodeHeaderValue(value);
    else if (typeof value === 'boolean') headers[name] = String(value);
    else if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) headers[name] = String(value);
  }
  return headers;
}

function matches(headerValue: string, bodyValue: unknown, type: string | undefined): boolean {
  if (type === 'number' || type === 'integer') return Number(headerValue) === Number(bodyValue) && !Number.isNaN(Number(headerValue));
  return headerValue === String(bodyValue);
}

/**
 * An agent's call: every annotated argument present in the body must be mirrored, equal, in its Mcp-Param header
 * (so intermediaries can route on it without reading the body). Refuses with -32020 otherwise.
 */
export function checkParamHeaders(params: readonly HeaderParam[], args: unknown, headers: Readonly<Record<string, string>>): void {
  for (const { path, header, type } of params) {
    const body = valueAt(args, path);
    if (body === undefined || body === null) continue;
    const raw = headers[`mcp-param-${header.toLowerCase()}`];
    const mismatch = (why: string) => new RpcError(RpcCode.HEADER_MISMATCH, `Header mismatch: Mcp-Param-${header} ${why}`);
    if (raw === undefined) throw mismatch(`is required: the tool's argument "${path.join('.')}" is annotated with x-mcp-header`);
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) throw mismatch('is not valid Base64 inside =?base64?…?=');
    if (!matches(decoded, body, type)) throw mismatch(`does not match the argument "${path.join('.')}" in the body`);
  }
}
