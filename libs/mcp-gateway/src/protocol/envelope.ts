import { META } from './protocol-versions.js';

type Params = Record<string, unknown>;

const ENVELOPE_KEYS: readonly string[] = [META.protocolVersion, META.clientCapabilities, META.clientInfo, META.logLevel];

/**
 * Params without the 2026-07-28 envelope keys in `_meta` (progressToken and other keys stay): the envelope
 * describes the agent to the hub; each upstream gets the hub's own.
 */
export function withoutEnvelope(params: Params): Params {
  const meta = params._meta as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return params;
  const rest = Object.fromEntries(Object.entries(meta).filter(([key]) => !ENVELOPE_KEYS.includes(key)));
  const { _meta: _envelope, ...others } = params;
  return Object.keys(rest).length ? { ...others, _meta: rest } : others;
}
