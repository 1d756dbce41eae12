import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

/**
 * Stand-ins for upstream OAuth: an authorization server (oauth2-mock-server, a real OAuth 2 provider from npm,
 * with optional RFC 7591 registration and RFC 7009 revocation recorded) and an MCP server on loopback that
 * requires its bearer tokens (checked against its JWKS) and tells which subject called.
 */

export interface TokenRequest {
  grantType: string;
  clientId: string | null;
  /** The Basic credentials (`id:secret`) when the client authenticated that way. */
  basic: string | null;
  resource: string | null;
  hasVerifier: boolean;
}

export interface AuthorizationServerStandIn {
  issuer: string;
  authorizeRequests: URLSearchParams[];
  tokenRequests: TokenRequest[];
  registrations: Record<string, unknown>[];
  revocations: URLSearchParams[];
  /** Lifetime of the access tokens issued from now on. */
  setTokenTtl(seconds: number): void;
  /** Whether tokens issued from now on come with a refresh token (they do unless told otherwise). */
  setRefreshTokens(issue: boolean): void;
  /** The person's access tokens issued so far are no longer accepted (before their expiry); refresh tokens still work. */
  invalidateAccessTokens(subject: string): void;
  /** The person revoked the hub at the authorization server: their access and refresh tokens are all refused. */
  revokeAll(subject: string): void;
  /** Whether a resource server should accept this (signed, unexpired) access token. */
  accepts(token: string): boolean;
  stop(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The mock's own endpoints (authorize, token, JWKS, OpenID discovery), plus: RFC 8414 metadata with a registration
 * endpoint when `dynamicRegistration` (otherwise only OpenID discovery, without one), registration, revocation.
 * The person "signing in" is the `login_hint` of the authorize request; it becomes the token subject.
 */
export async function startAuthorizationServer(options: { dynamicRegistration: boolean }): Promise<AuthorizationServerStandIn> {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer);
  const subjectOfCode = new Map<string, string>();
  const scopeOfCode = new Map<string, string>();
  const subjectOfRefresh = new Map<string, string>();
  const accessTokensOf = new Map<string, string[]>();
  const refused = new Set<string>();
  let ttl = 3600;
  let refreshTokens = true;
  const stand: Omit<AuthorizationServerStandIn, 'issuer' | 'stop'> = {
    authorizeRequests: [],
    tokenRequests: [],
    registrations: [],
    revocations: [],
    setTokenTtl: (seconds) => {
      ttl = seconds;
    },
    setRefreshTokens: (issue) => {
      refreshTokens = issue;
    },
    invalidateAccessTokens: (subject) => {
      for (const token of accessTokensOf.get(subject) ?? []) refused.add(token);
    },
    revokeAll: (subject) => {
      stand.invalidateAccessTokens(subject);
      for (const [token, owner] of subjectOfRefresh) if (owner === subject) subjectOfRefresh.delete(token);
    },
    accepts: (token) => !refused.has(token),
  };
  service.on('beforeAuthorizeRedirect', ({ url }: { url: URL }, req: IncomingMessage & { query: Record<string, string> }) => {
    stand.authorizeRequests.push(new URLSearchParams(req.query));
    const code = url.searchParams.get('code');
    if (code && req.query.login_hint) subjectOfCode.set(code, req.query.login_hint);
    if (code && req.query.scope) scopeOfCode.set(code, req.query.scope);
  });
  const subjectOf = (body: Record<string, string>) =>
    body.grant_type === 'authorization_code' ? subjectOfCode.get(body.code) : body.grant_type === 'refresh_token' ? subjectOfRefresh.get(body.refresh_token) : undefined;
  service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: { body: Record<string, string> }) => {
    const subject = subjectOf(req.body);
    if (subject) token.payload.sub = subject;
    token.payload.exp = Math.floor(Date.now() / 1000) + ttl;
    // Two tokens for one person within a second would otherwise be the same string: refusing one refused both.
    token.payload.jti = randomUUID();
  });
  service.on('beforeResponse', (response: { statusCode: number; body: Record<string, unknown> }, req: { body: Record<string, string>; headers: Record<string, string> }) => {
    const body = req.body;
    const auth = req.headers.authorization;
    stand.tokenRequests.push({
      grantType: body.grant_type,
      clientId: body.client_id ?? null,
      basic: auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : null,
      resource: body.resource ?? null,
      hasVerifier: !!body.code_verifier,
    });
    const subject = subjectOf(body);
    // A revoked (or unknown) refresh token is refused, as a real server would.
    if (body.grant_type === 'refresh_token' && !subject) {
      response.statusCode = 400;
      response.body = { error: 'invalid_grant', error_description: 'unknown refresh token' };
      return;
    }
    if (body.grant_type === 'refresh_token') subjectOfRefresh.delete(body.refresh_token);
    if (!refreshTokens) delete response.body.refresh_token;
    if (subject && typeof response.body.refresh_token === 'string') subjectOfRefresh.set(response.body.refresh_token, subject);
    if (subject && typeof response.body.access_token === 'string') accessTokensOf.set(subject, [...(accessTokensOf.get(subject) ?? []), response.body.access_token]);
    response.body.expires_in = ttl;
    // The scope granted is the one the person consented to (the mock itself answers "dummy").
    if (body.grant_type === 'authorization_code') response.body.scope = scopeOfCode.get(body.code) ?? response.body.scope;
    else delete response.body.scope;
  });
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/oauth-authorization-server') {
      if (!options.dynamicRegistration) return json(404, {});
      return json(200, {
        issuer: issuer.url,
        authorization_endpoint: `${issuer.url}/authorize`,
        token_endpoint: `${issuer.url}/token`,
        jwks_uri: `${issuer.url}/jwks`,
        registration_endpoint: `${issuer.url}/register`,
        revocation_endpoint: `${issuer.url}/revoke`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === '/register' && req.method === 'POST' && options.dynamicRegistration) {
      void readBody(req).then((text) => {
        const metadata = JSON.parse(text) as Record<string, unknown>;
        stand.registrations.push(metadata);
        json(201, { ...metadata, client_id: `registered-${stand.registrations.length}`, client_id_issued_at: Math.floor(Date.now() / 1000) });
      });
      return;
    }
    if (path === '/revoke' && req.method === 'POST') {
      void readBody(req).then((text) => {
        const form = new URLSearchParams(text);
        stand.revocations.push(form);
        if (form.get('token_type_hint') === 'refresh_token') subjectOfRefresh.delete(form.get('token')!);
        res.writeHead(200).end();
      });
      return;
    }
    service.requestHandler(req, res);
  });
  const port = await listen(http);
  issuer.url = `http://127.0.0.1:${port}`;
  return { ...stand, issuer: issuer.url, stop: () => close(http) } as AuthorizationServerStandIn;
}

export interface ReceivedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The verified token's subject; null: refused with 401. */
  subject: string | null;
}

export interface ProtectedMcpServer {
  /** The MCP endpoint (Streamable HTTP). */
  url: string;
  received: ReceivedRequest[];
  stop(): Promise<void>;
}

/**
 * An MCP server (SDK, Streamable HTTP, stateless) that answers 401 with RFC 9728 resource metadata unless the
 * request carries a valid, unexpired token from `issuer` that `accepts` (the authorization server's revocations)
 * lets through; its tool `toolName` returns the caller's subject.
 */
export async function startProtectedMcpServer(options: { issuer: string; toolName: string; accepts?: (token: string) => boolean }): Promise<ProtectedMcpServer> {
  const jwks = createRemoteJWKSet(new URL(`${options.issuer}/jwks`));
  const received: ReceivedRequest[] = [];
  let base = '';
  const http = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path.startsWith('/.well-known/oauth-protected-resource')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ resource: `${base}/mcp`, authorization_servers: [options.issuer], scopes_supported: ['mcp:tools'] }));
        return;
      }
      if (path !== '/mcp') return void res.writeHead(404).end();
      const auth = req.headers.authorization;
      let subject: string | null = null;
      if (auth?.startsWith('Bearer ')) {
        try {
          const { payload } = await jwtVerify(auth.slice(7), jwks, { issuer: options.issuer });
          subject = !options.accepts || options.accepts(auth.slice(7)) ? String(payload.sub) : null;
        } catch {
          subject = null;
        }
      }
      received.push({ headers: { ...req.headers }, subject });
      if (!subject) {
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer error="invalid_token", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`,
        });
        res.end(JSON.stringify({ error: 'invalid_token' }));
        return;
      }
      const server = new McpServer({ name: 'oauth-protected', version: '1.0.0' });
      server.registerTool(options.toolName, { description: 'Who is calling' }, () => ({ content: [{ type: 'text', text: JSON.stringify({ subject }) }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const port = await listen(http);
  base = `http://127.0.0.1:${port}`;
  return { url: `${base}/mcp`, received, stop: () => close(http) };
}
