import { RpcCode, RpcError } from './json-rpc.js';

/** A tool argument the tool's schema asks clients to mirror in an `Mcp-Param-<header>` header (SEP-2243). */
export interface HeaderParam {
  property: string;
  /** The header suffix as the schema spells it (`Region` → `Mcp-Param-Region`). */
  header: string;
  type?: string;
}

/** The `x-mcp-header` annotations of a tool's input schema (read once, when the catalog is built). */
export function headerParamsOf(inputSchema: unknown): HeaderParam[] {
  const properties = (inputSchema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  const params: HeaderParam[] = [];
  for (const [property, schema] of Object.entries(properties)) {
    const header = schema?.['x-mcp-header'];
    if (typeof header === 'string' && header) params.push({ property, header, type: typeof schema.type === 'string' ? schema.type : undefined });
  }
  return params;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A header value as sent: `=?base64?…?=` is strict Base64 of UTF-8; anything else is literal. Undefined if malformed. */
function decode(value: string): string | undefined {
  const wrapped = /^=\?base64\?(.*)\?=$/.exec(value);
  if (!wrapped) return value;
  return BASE64.test(wrapped[1]) ? Buffer.from(wrapped[1], 'base64').toString('utf8') : undefined;
}

function matches(headerValue: string, bodyValue: unknown, type: string | undefined): boolean {
  if (type === 'number' || type === 'integer') return Number(headerValue) === Number(bodyValue) && !Number.isNaN(Number(headerValue));
  return headerValue === String(bodyValue);
}

/**
 * 2026-07-28 (SEP-2243): every annotated argument present in the body must be mirrored, equal, in its
 * Mcp-Param header (so intermediaries can route on it without reading the body). Refuses with -32020 otherwise.
 */
export function checkParamHeaders(params: readonly HeaderParam[], args: unknown, headers: Readonly<Record<string, string>>): void {
  const values = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  for (const { property, header, type } of params) {
    const body = values[property];
    if (body === undefined || body === null) continue;
    const raw = headers[`mcp-param-${header.toLowerCase()}`];
    const mismatch = (why: string) => new RpcError(RpcCode.HEADER_MISMATCH, `Header mismatch: Mcp-Param-${header} ${why}`);
    if (raw === undefined) throw mismatch(`is required: the tool's argument "${property}" is annotated with x-mcp-header`);
    const decoded = decode(raw);
    if (decoded === undefined) throw mismatch('is not valid Base64 inside =?base64?…?=');
    if (!matches(decoded, body, type)) throw mismatch(`does not match the argument "${property}" in the body`);
  }
}
