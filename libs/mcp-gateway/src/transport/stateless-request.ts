import type { IncomingHttpHeaders } from 'node:http';
import { RpcCode, type JsonRpcMessage } from '../protocol/json-rpc.js';
import { decodeHeaderValue, nameOf } from '../protocol/param-headers.js';
import { META, SERVED_VERSIONS, isStatelessVersion, isSupportedVersion } from '../protocol/protocol-versions.js';
import type { StatelessCall } from '../router/call-context.js';
import { McpHttpError } from './mcp-http-error.js';

type Params = Record<string, unknown>;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const metaOf = (message: JsonRpcMessage): unknown => ((message as { params?: Params }).params ?? {})._meta;

/**
 * Whether a POST without Mcp-Session-Id is a 2026-07-28 request: its `_meta` names a protocol version, or its
 * MCP-Protocol-Version header is one the 2025 session era does not know. Anything else stays on the 2025 path
 * (initialize, or "missing session id").
 */
export function isStatelessRequest(headers: IncomingHttpHeaders, message: JsonRpcMessage): boolean {
  const meta = metaOf(message);
  if (meta && typeof meta === 'object' && META.protocolVersion in meta) return true;
  const version = header(headers, 'mcp-protocol-version');
  return version !== undefined && !isSupportedVersion(version);
}

/**
 * Checks a 2026-07-28 request before it is routed: `_meta` must carry the protocol version and the client's
 * capabilities (-32602), MCP-Protocol-Version must repeat the version and Mcp-Method / Mcp-Name the body
 * (-32020 Header mismatch), and the version must be one the hub serves (-32022, listing them). Every refusal is
 * HTTP 400 and carries the request's id.
 */
export function readStatelessRequest(headers: IncomingHttpHeaders, message: JsonRpcMessage & { id?: unknown }): StatelessCall {
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  const refuse = (code: number, text: string, data?: unknown) => new McpHttpError(400, code, text, {}, id, data);
  const method = (message as { method: string }).method;
  const params = ((message as { params?: unknown }).params ?? {}) as Params;
  if (typeof params !== 'object' || Array.isArray(params)) throw refuse(RpcCode.INVALID_PARAMS, 'Invalid params: params must be an object');
  const meta = params._meta as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
    throw refuse(RpcCode.INVALID_PARAMS, `Invalid params: a request without a session must carry _meta with ${META.protocolVersion} and ${META.clientCapabilities}`);
  }
  const version = meta[META.protocolVersion];
  if (typeof version !== 'string' || !version) throw refuse(RpcCode.INVALID_PARAMS, `Invalid params: _meta is missing ${META.protocolVersion}`);
  const capabilities = meta[META.clientCapabilities];
  if (!capabilities || typeof capabilities !== 'object' || Array.isArray(capabilities)) {
    throw refuse(RpcCode.INVALID_PARAMS, `Invalid params: _meta is missing ${META.clientCapabilities} (an object; {} when the client has none)`);
  }
  const headerVersion = header(headers, 'mcp-protocol-version');
  if (headerVersion !== version) {
    throw refuse(RpcCode.HEADER_MISMATCH, `Header mismatch: MCP-Protocol-Version (${headerVersion ?? 'absent'}) must equal _meta ${META.protocolVersion} (${version})`);
  }
  const headerMethod = header(headers, 'mcp-method');
  if (headerMethod !== method) {
    throw refuse(RpcCode.HEADER_MISMATCH, `Header mismatch: Mcp-Method (${headerMethod ?? 'absent'}) must equal the request's method (${method})`);
  }
  const headerName = header(headers, 'mcp-name');
  const name = nameOf(method, params);
  if (name !== undefined && (headerName === undefined || decodeHeaderValue(headerName) !== name)) {
    throw refuse(RpcCode.HEADER_MISMATCH, `Header mismatch: Mcp-Name (${headerName === undefined ? 'absent' : 'as sent'}) must equal the name or URI in the request's params`);
  }
  if (!isStatelessVersion(version)) {
    throw refuse(RpcCode.UNSUPPORTED_PROTOCOL_VERSION, `Unsupported protocol version ${version}: this hub serves ${SERVED_VERSIONS.join(', ')}`, {
      requested: version,
      supported: SERVED_VERSIONS,
    });
  }
  const logLevel = meta[META.logLevel];
  const paramHeaders: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (key.startsWith('mcp-param-') && typeof value === 'string') paramHeaders[key] = value;
  return { clientCapabilities: capabilities as Record<string, unknown>, logLevel: typeof logLevel === 'string' ? logLevel : undefined, paramHeaders };
}
