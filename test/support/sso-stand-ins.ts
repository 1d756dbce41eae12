import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Issuer, OAuth2Server, OAuth2Service } from 'oauth2-mock-server';

/**
 * Local stand-ins for Microsoft Entra ID and GitHub, built on oauth2-mock-server (a real OAuth 2 / OpenID provider
 * from npm): real authorization redirects, PKCE checks at the token endpoint, id_tokens signed with a JWKS key.
 */

export interface TestTls {
  cert: string;
  keyFile: string;
  certFile: string;
  dispose(): void;
}

/** A self-signed certificate for 127.0.0.1 (passport-azure-ad only talks https to its provider). */
export function selfSignedTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'mcphub-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { cert: readFileSync(certFile, 'utf8'), keyFile, certFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Makes this process's default https agent trust the test certificate, as NODE_EXTRA_CA_CERTS would for a
 * deployment behind a private CA. Returns the undo.
 */
export function trustForHttpsGlobalAgent(cert: string): () => void {
  const options = https.globalAgent.options as { ca?: unknown };
  const previous = options.ca;
  options.ca = [cert];
  return () => {
    options.ca = previous;
  };
}

type Claims = Record<string, unknown>;

export interface AzureAdStandIn {
  /** Tenant-specific v2.0 metadata URL, as AZURE_AD_METADATA_URL. */
  metadataUrl: string;
  issuer: string;
  /** Claims put into the next tokens (id_token and access token); reset with `reset()`. */
  setClaims(claims: Claims): void;
  reset(): void;
  stop(): Promise<void>;
}

/** Microsoft Entra ID stand-in: /<tenant>/v2.0/... endpoints on https://127.0.0.1. */
export async function startAzureAdStandIn(tls: TestTls, tenant: string): Promise<AzureAdStandIn> {
  const base = `/${tenant}/v2.0`;
  const server = new OAuth2Server(tls.keyFile, tls.certFile, {
    endpoints: {
      wellKnownDocument: `${base}/.well-known/openid-configuration`,
      authorize: `${base}/authorize`,
      token: `${base}/token`,
      jwks: `${base}/keys`,
      userinfo: `${base}/userinfo`,
    },
  });
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const origin = `https://127.0.0.1:${server.address().port}`;
  // The library names the issuer "localhost"; the certificate (and the hub) know it as 127.0.0.1.
  server.issuer.url = origin;
  let claims: Claims = {};
  server.service.on('beforeTokenSigning', (token: { payload: Claims }) => Object.assign(token.payload, claims));
  return {
    metadataUrl: `${origin}${base}/.well-known/openid-configuration`,
    issuer: server.issuer.url!,
    setClaims: (next) => {
      claims = next;
    },
    reset: () => {
      claims = {};
    },
    stop: () => server.stop(),
  };
}

export interface GitHubAccount {
  id: number;
  login: string;
  name?: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
  orgs: string[];
}

export interface GitHubStandIn {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
  /** The person "signed in at GitHub" in the browser that next visits the authorize page. */
  signInAs(account: GitHubAccount): void;
  stop(): Promise<void>;
}

/**
 * GitHub stand-in: OAuth endpoints (oauth2-mock-server's service under GitHub's paths) and the REST API calls the
 * hub makes (/user, /user/emails with verified flags, /user/orgs), answering only for the token's owner.
 */
export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer, { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' });
  let current: GitHubAccount | undefined;
  const byCode = new Map<string, GitHubAccount>();
  const byToken = new Map<string, GitHubAccount>();
  service.on('beforeAuthorizeRedirect', (redirect: { url: URL }) => {
    const code = redirect.url.searchParams.get('code');
    if (code && current) byCode.set(code, current);
  });
  service.on('beforeResponse', (response: { body: Claims; statusCode: number }, req: { body: Claims }) => {
    const account = byCode.get(String(req.body.code));
    if (typeof response.body.access_token === 'string' && account) byToken.set(response.body.access_token, account);
  });

  const api = (req: IncomingMessage, res: ServerResponse) => {
    const token = /^(?:Bearer|token)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const account = token ? byToken.get(token) : undefined;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!account) return send(401, { message: 'Bad credentials' });
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/api/user') {
      const primary = account.emails.find((e) => e.primary);
      return send(200, { id: account.id, login: account.login, name: account.name ?? null, email: primary?.email ?? null });
    }
    if (path === '/api/user/emails') return send(200, account.emails.map((e) => ({ ...e, visibility: 'private' })));
    if (path === '/api/user/orgs') return send(200, account.orgs.map((login, i) => ({ login, id: i + 1 })));
    return send(404, { message: 'Not Found' });
  };

  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/')) return api(req, res);
    (service.requestHandler as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.url = url;
  return {
    url,
    authorizeUrl: `${url}/login/oauth/authorize`,
    tokenUrl: `${url}/login/oauth/access_token`,
    apiUrl: `${url}/api`,
    signInAs: (account) => {
      current = account;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
