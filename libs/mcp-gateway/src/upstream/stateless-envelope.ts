import { HUB_CLIENT_CAPABILITIES, PROBE_CLIENT_INFO } from '#servers';
import { META, STATELESS_VERSION } from '../protocol/protocol-versions.js';

type Params = Record<string, unknown>;

/** Methods whose `Mcp-Name` header mirrors a body field (SEP-2243). */
const NAME_SOURCE: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';

/** A header value as the revision encodes it: plain visible ASCII as is, anything else base64 in a sentinel. */
export function encodeHeaderValue(value: string): string {
  const plain = value.length > 0 && value === value.trim() && /^[\x20-\x7e\t]*$/.test(value) && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  return plain ? value : `${BASE64_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${BASE64_SUFFIX}`;
}

/** The headers a 2026-07-28 request carries; they must agree with its body or the server answers -32020. */
export function statelessHeaders(method: string, params: Params | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': STATELESS_VERSION, 'mcp-method': method };
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  const value = field ? params?.[field] : undefined;
  if (typeof value === 'string') headers['mcp-name'] = encodeHeaderValue(value);
  return headers;
}

/**
 * Params with the per-request `_meta` envelope: the revision, the agent's capabilities (the hub's own when the
 * hub asks for itself, e.g. lists), the hub as client, and the log level when one applies.
 */
export function withEnvelope(params: Params | undefined, capabilities: Record<string, unknown> = HUB_CLIENT_CAPABILITIES, logLevel?: string): Params {
  const meta = (params?._meta as Params | undefined) ?? {};
  return {
    ...params,
    _meta: {
      ...meta,
      [META.protocolVersion]: STATELESS_VERSION,
      [META.clientCapabilities]: capabilities,
      [META.clientInfo]: PROBE_CLIENT_INFO,
      ...(logLevel ? { [META.logLevel]: logLevel } : {}),
    },
  };
}

/** A notification as agents get it: the upstream's listen-stream id is its own business. */
export function withoutSubscriptionId<T extends { params?: Params }>(message: T): T {
  const meta = message.params?._meta as Params | undefined;
  if (!meta || !(META.subscriptionId in meta)) return message;
  const { [META.subscriptionId]: _dropped, ...rest } = meta;
  return { ...message, params: { ...message.params, _meta: rest } };
}
