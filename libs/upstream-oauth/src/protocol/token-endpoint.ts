import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { OAuthProtocolError, postForJson } from './oauth-http.js';

/** How the hub authenticates as a client at the token and revocation endpoints. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string | null;
  /** `none`, `client_secret_basic` or `client_secret_post`. */
  auth: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[] | null;
}

/** A confidential client uses Basic (the RFC 6749 default) unless the server only takes the secret in the body. */
export function clientAuthMethod(secret: string | null, supported: string[] | null): string {
  if (!secret) return 'none';
  if (supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

function authenticate(client: OAuthClient, form: URLSearchParams): Record<string, string> {
  if (client.auth === 'client_secret_basic' && client.clientSecret) {
    const encode = (v: string) => encodeURIComponent(v);
    return { authorization: `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}` };
  }
  form.set('client_id', client.clientId);
  if (client.auth === 'client_secret_post' && client.clientSecret) form.set('client_secret', client.clientSecret);
  return {};
}

/** Authorization code (with its PKCE verifier) or refresh token → tokens (RFC 6749 §4.1.3, §6; RFC 8707). */
export async function requestTokens(
  fetch: FetchLike,
  tokenEndpoint: string,
  client: OAuthClient,
  grant: { code: string; verifier: string; redirectUri: string } | { refreshToken: string },
  resource: string,
  now: number,
): Promise<TokenSet> {
  const form = new URLSearchParams();
  if ('code' in grant) {
    form.set('grant_type', 'authorization_code');
    form.set('code', grant.code);
    form.set('code_verifier', grant.verifier);
    form.set('redirect_uri', grant.redirectUri);
  } else {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', grant.refreshToken);
  }
  form.set('resource', resource);
  const { json } = await postForJson(fetch, tokenEndpoint, form, authenticate(client, form));
  if (typeof json.access_token !== 'string' || !json.access_token) throw new OAuthProtocolError('The token endpoint answered without an access_token');
  if (typeof json.token_type === 'string' && json.token_type.toLowerCase() !== 'bearer') throw new OAuthProtocolError(`The token endpoint issued a ${json.token_type} token; only Bearer tokens are supported`);
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now + expiresIn * 1000) : null,
    scopes: typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : null,
  };
}

/** RFC 7009: tells the authorization server a token is no longer wanted. */
export async function revokeToken(fetch: FetchLike, endpoint: string, client: OAuthClient, token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
  const form = new URLSearchParams({ token, token_type_hint: hint });
  await postForJson(fetch, endpoint, form, authenticate(client, form));
}

/** RFC 7591: the hub registers itself as a client (authorization code + PKCE, redirect to its callback). */
export async function registerClient(fetch: FetchLike, endpoint: string, redirectUri: string, clientName: string): Promise<{ clientId: string; clientSecret: string | null; auth: string }> {
  const { json } = await postForJson(fetch, endpoint, {
    client_name: clientName,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  if (typeof json.client_id !== 'string' || !json.client_id) throw new OAuthProtocolError('The registration endpoint answered without a client_id');
  const secret = typeof json.client_secret === 'string' && json.client_secret ? json.client_secret : null;
  const method = typeof json.token_endpoint_auth_method === 'string' ? json.token_endpoint_auth_method : secret ? 'client_secret_basic' : 'none';
  return { clientId: json.client_id, clientSecret: secret, auth: secret ? method : 'none' };
}
