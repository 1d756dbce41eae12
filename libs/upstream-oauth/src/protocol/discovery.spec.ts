import { describe, expect, it } from '@jest/globals';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { authorizationServerMetadata, discoverAuthorization } from './discovery.js';

type Route = { status: number; body?: unknown; headers?: Record<string, string> };

/** A fetch answering from a table (method-less: discovery GETs documents and POSTs one unauthenticated request). */
function fakeFetch(routes: Record<string, Route>, seen: string[] = []): FetchLike {
  return async (url) => {
    seen.push(String(url));
    const route = routes[String(url)] ?? { status: 404 };
    return new Response(route.body === undefined ? null : JSON.stringify(route.body), { status: route.status, headers: { 'content-type': 'application/json', ...route.headers } });
  };
}

const AS = 'https://auth.example.com/tenant1';
const metadata = (issuer = AS, extra: Record<string, unknown> = {}) => ({
  issuer,
  authorization_endpoint: `${AS}/authorize`,
  token_endpoint: `${AS}/token`,
  code_challenge_methods_supported: ['S256'],
  ...extra,
});

describe(discoverAuthorization.name, () => {
  it("should follow the 401's resource_metadata to the authorization server's path-aware RFC 8414 metadata", async () => {
    const seen: string[] = [];
    const fetch = fakeFetch(
      {
        'https://mcp.example.com/v1/mcp': { status: 401, headers: { 'www-authenticate': 'Bearer resource_metadata="https://mcp.example.com/prm", scope="files:read files:write"' } },
        'https://mcp.example.com/prm': { status: 200, body: { resource: 'https://mcp.example.com/v1/mcp', authorization_servers: [AS] } },
        'https://auth.example.com/.well-known/oauth-authorization-server/tenant1': { status: 200, body: metadata(AS, { registration_endpoint: `${AS}/register` }) },
      },
      seen,
    );
    const found = await discoverAuthorization(fetch, 'https://mcp.example.com/v1/mcp');
    expect(found).toEqual({
      resource: 'https://mcp.example.com/v1/mcp',
      scopes: ['files:read', 'files:write'],
      server: expect.objectContaining({ issuer: AS, tokenEndpoint: `${AS}/token`, registrationEndpoint: `${AS}/register`, revocationEndpoint: null }),
    });
  });

  it('should try the well-known protected resource URIs when the 401 names none, then OpenID discovery', async () => {
    const fetch = fakeFetch({
      'https://mcp.example.com/mcp': { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      'https://mcp.example.com/.well-known/oauth-protected-resource': { status: 200, body: { authorization_servers: ['https://id.example.com'], scopes_supported: ['mcp'] } },
      'https://id.example.com/.well-known/openid-configuration': {
        status: 200,
        body: { ...metadata('https://id.example.com'), authorization_endpoint: 'https://id.example.com/a', token_endpoint: 'https://id.example.com/t' },
      },
    });
    const found = await discoverAuthorization(fetch, 'https://mcp.example.com/mcp');
    expect(found.server.issuer).toBe('https://id.example.com');
    expect(found.scopes).toEqual(['mcp']);
    expect(found.resource).toBe('https://mcp.example.com/mcp');
  });
});

describe(authorizationServerMetadata.name, () => {
  it('should refuse metadata that names another issuer (mix-up defence, RFC 8414 §3.3)', async () => {
    const fetch = fakeFetch({ 'https://auth.example.com/.well-known/oauth-authorization-server/tenant1': { status: 200, body: metadata('https://evil.example.com') } });
    await expect(authorizationServerMetadata(fetch, AS)).rejects.toThrow(/names another issuer/);
  });

  it('should refuse an authorization server that does not offer PKCE with S256', async () => {
    const fetch = fakeFetch({ 'https://auth.example.com/.well-known/oauth-authorization-server/tenant1': { status: 200, body: metadata(AS, { code_challenge_methods_supported: ['plain'] }) } });
    await expect(authorizationServerMetadata(fetch, AS)).rejects.toThrow(/does not offer PKCE with S256/);
  });
});
