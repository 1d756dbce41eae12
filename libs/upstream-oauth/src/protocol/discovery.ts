import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { OAUTH_HTTP_TIMEOUT_MS, OAuthProtocolError, getJson, readBounded } from './oauth-http.js';

/** What the hub needs from a server's authorization server (RFC 8414 metadata). */
export interface AuthorizationServerInfo {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string | null;
  revocationEndpoint: string | null;
  tokenEndpointAuthMethods: string[] | null;
}

export interface DiscoveredAuthorization {
  server: AuthorizationServerInfo;
  /** RFC 8707 resource indicator: the protected resource the tokens are for. */
  resource: string;
  /** Scopes the resource asked for (its 401's `scope`, else its metadata's `scopes_supported`). */
  scopes: string[];
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * MCP authorization discovery: the server's 401 names its protected resource metadata (RFC 9728), else the
 * well-known URIs beside the server's URL are tried; the metadata names the authorization server, whose own
 * metadata (RFC 8414, then OpenID Connect discovery) gives the endpoints. A server without resource metadata
 * (2025-03-26 era) is its own authorization server.
 */
export async function discoverAuthorization(fetch: FetchLike, serverUrl: string): Promise<DiscoveredAuthorization> {
  const challenge = await unauthenticatedChallenge(fetch, serverUrl);
  const url = new URL(serverUrl);
  const candidates = challenge.resourceMetadata
    ? [challenge.resourceMetadata]
    : [...(url.pathname !== '/' ? [`${url.origin}/.well-known/oauth-protected-resource${trimSlash(url.pathname)}`] : []), `${url.origin}/.well-known/oauth-protected-resource`];
  let metadata: Record<string, unknown> | null = null;
  for (const candidate of candidates) {
    metadata = await getJson(fetch, candidate);
    if (metadata) break;
  }
  const issuers = Array.isArray(metadata?.authorization_servers) ? metadata.authorization_servers.filter((s): s is string => typeof s === 'string') : [];
  const issuer = issuers[0] ?? url.origin;
  const resource = typeof metadata?.resource === 'string' && new URL(metadata.resource).origin === url.origin ? metadata.resource : serverUrl;
  const supported = Array.isArray(metadata?.scopes_supported) ? metadata.scopes_supported.filter((s): s is string => typeof s === 'string') : [];
  return { server: await authorizationServerMetadata(fetch, issuer), resource, scopes: challenge.scopes.length ? challenge.scopes : supported };
}

/** RFC 8414 §3.1 and OpenID discovery, path-aware; the document must name the issuer it was fetched for. */
export async function authorizationServerMetadata(fetch: FetchLike, issuer: string): Promise<AuthorizationServerInfo> {
  const url = new URL(issuer);
  const path = trimSlash(url.pathname);
  const candidates = path
    ? [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${url.origin}/.well-known/openid-configuration${path}`, `${url.origin}${path}/.well-known/openid-configuration`]
    : [`${url.origin}/.well-known/oauth-authorization-server`, `${url.origin}/.well-known/openid-configuration`];
  for (const candidate of candidates) {
    const doc = await getJson(fetch, candidate);
    if (!doc) continue;
    if (typeof doc.issuer !== 'string' || trimSlash(doc.issuer) !== trimSlash(issuer)) {
      throw new OAuthProtocolError(`The authorization server metadata at ${candidate} names another issuer (${String(doc.issuer)})`);
    }
    const endpoint = (name: string, required: boolean): string | null => {
      const value = doc[name];
      if (typeof value === 'string' && /^https?:\/\//.test(value)) return value;
      if (required) throw new OAuthProtocolError(`The authorization server ${issuer} publishes no ${name}`);
      return null;
    };
    const methods = Array.isArray(doc.code_challenge_methods_supported) ? doc.code_challenge_methods_supported : [];
    // MCP authorization requires PKCE; a server that does not say it supports S256 cannot be used safely.
    if (!methods.includes('S256')) throw new OAuthProtocolError(`The authorization server ${issuer} does not offer PKCE with S256`);
    return {
      issuer: doc.issuer,
      authorizationEndpoint: endpoint('authorization_endpoint', true)!,
      tokenEndpoint: endpoint('token_endpoint', true)!,
      registrationEndpoint: endpoint('registration_endpoint', false),
      revocationEndpoint: endpoint('revocation_endpoint', false),
      tokenEndpointAuthMethods: Array.isArray(doc.token_endpoint_auth_methods_supported) ? doc.token_endpoint_auth_methods_supported.filter((m): m is string => typeof m === 'string') : null,
    };
  }
  throw new OAuthProtocolError(`No authorization server metadata found for ${issuer}`);
}

/** The server's answer to a request without a token: the `WWW-Authenticate` parameters that matter here. */
async function unauthenticatedChallenge(fetch: FetchLike, serverUrl: string): Promise<{ resourceMetadata: string | null; scopes: string[] }> {
  let res: Response;
  try {
    res = await fetch(serverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcp-hub-oauth-discovery', version: '1' } } }),
      signal: AbortSignal.timeout(OAUTH_HTTP_TIMEOUT_MS),
    });
    await readBounded(res).catch(() => undefined);
  } catch (error) {
    throw new OAuthProtocolError(`The server could not be reached (${(error as Error).message})`);
  }
  if (res.status !== 401) return { resourceMetadata: null, scopes: [] };
  const header = res.headers.get('www-authenticate') ?? '';
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`, 'i').exec(header)?.[1] ?? null;
  const metadata = param('resource_metadata');
  return {
    resourceMetadata: metadata && /^https?:\/\//.test(metadata) ? metadata : null,
    scopes: (param('scope') ?? '').split(' ').filter(Boolean),
  };
}
