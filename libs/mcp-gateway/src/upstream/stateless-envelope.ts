import { HUB_CLIENT_CAPABILITIES, PROBE_CLIENT_INFO } from '#servers';
import { encodeHeaderValue, nameOf } from '../protocol/param-headers.js';
import { META, STATELESS_VERSION } from '../protocol/protocol-versions.js';

type Params = Record<string, unknown>;

/** The headers a 2026-07-28 request carries; they must agree with its body or the server answers -32020. */
export function statelessHeaders(method: string, params: Params | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': STATELESS_VERSION, 'mcp-method': method };
  const name = nameOf(method, params);
  if (name !== undefined) headers['mcp-name'] = encodeHeaderValue(name);
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

const ENVELOPE_KEYS: readonly string[] = [META.protocolVersion, META.clientCapabilities, META.clientInfo, META.logLevel];

/**
 * Params without the envelope keys in `_meta` (progressToken and other keys stay): an agent's envelope describes it
 * to the hub; each upstream gets the hub's own (withEnvelope).
 */
export function withoutEnvelope(params: Params): Params {
  const meta = params._meta as Params | undefined;
  if (!meta || typeof meta !== 'object') return params;
  const rest = Object.fromEntries(Object.entries(meta).filter(([key]) => !ENVELOPE_KEYS.includes(key)));
  const { _meta: _envelope, ...others } = params;
  return Object.keys(rest).length ? { ...others, _meta: rest } : others;
}

/** A notification as agents get it: the upstream's listen-stream id is its own business. */
export function withoutSubscriptionId<T extends { params?: Params }>(message: T): T {
  const meta = message.params?._meta as Params | undefined;
  if (!meta || !(META.subscriptionId in meta)) return message;
  const { [META.subscriptionId]: _dropped, ...rest } = meta;
  return { ...message, params: { ...message.params, _meta: rest } };
}
