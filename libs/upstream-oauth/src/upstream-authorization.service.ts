import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Clock, ConfigChangeBus, DomainError, ErrorCode, HUB_CONFIG, PINO, badInput, identifyRequest, type HubConfig, type Logger } from '#core';
import { AuditLogWriter, AuditOutcome, resultOf, type Actor } from '#auth';
import { McpServer, ServersService, ServerTransport, primaryEndpoint } from '#servers';
import { UpstreamAuthorizationRequest } from './entities/upstream-authorization-request.entity.js';
import { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
import { OAuthClients } from './oauth-clients.js';
import { discoverAuthorization } from './protocol/discovery.js';
import { newState, pkcePair, stateHash } from './protocol/pkce.js';
import { requestTokens, revokeToken } from './protocol/token-endpoint.js';
import { oauthFailure } from './upstream-oauth.errors.js';
import { UpstreamOAuthRepository } from './upstream-oauth.repository.js';
import { UpstreamOAuthSecrets } from './upstream-oauth-secrets.js';
import { UpstreamTokens } from './upstream-tokens.service.js';

/** How long a person has to finish at the authorization server. */
const REQUEST_TTL_MS = 10 * 60_000;
export const UPSTREAM_CALLBACK_PATH = '/oauth/upstream/callback';

export enum UpstreamAuthorizationState {
  AUTHORIZED = 'AUTHORIZED',
  /** Expired, or refused by the server or its authorization server, and nothing can renew it: the person must authorize again. */
  EXPIRED = 'EXPIRED',
  NOT_AUTHORIZED = 'NOT_AUTHORIZED',
}

export interface UpstreamAuthorizationView {
  state: UpstreamAuthorizationState;
  expiresAt: Date | null;
  scopes: string[];
  authorizedAt: Date | null;
}

/** Where the browser goes after the callback: the server's page, saying how it went. */
export interface CallbackOutcome {
  serverId: string | null;
  ok: boolean;
  message: string;
}

/**
 * A person authorizes a server once (authorization code + PKCE, RFC 8707 resource), from the dashboard; the hub's
 * callback exchanges the code and keeps the tokens sealed for that person and server. Revoking tells the
 * authorization server (RFC 7009) when it offers that, and forgets the tokens.
 */
@Injectable()
export class UpstreamAuthorizationService {
  constructor(
    private readonly servers: ServersService,
    private readonly repository: UpstreamOAuthRepository,
    private readonly secrets: UpstreamOAuthSecrets,
    private readonly clients: OAuthClients,
    private readonly tokens: UpstreamTokens,
    private readonly audit: AuditLogWriter,
    private readonly bus: ConfigChangeBus,
    private readonly clock: Clock,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  get redirectUri(): string {
    return `${this.config.http.publicUrl}${UPSTREAM_CALLBACK_PATH}`;
  }

  /** The URL to open in the person's browser; the flow it starts is theirs only and ends within 10 minutes. */
  async start(viewer: Actor, serverId: string): Promise<{ authorizationUrl: string; expiresAt: Date }> {
    const server = await this.servers.get(viewer, serverId, 'serverId');
    const setting = await this.repository.setting(server.id);
    // The authorization is the server's: discovered at its primary endpoint (its replicas share the resource).
    const { transport, url: serverUrl } = primaryEndpoint(server);
    if (!setting || transport === ServerTransport.STDIO || !serverUrl) throw badInput('serverId', `server "${server.slug}" does not use OAuth`);
    if (serverUrl.includes('${')) throw badInput('serverId', `server "${server.slug}": OAuth needs a URL without \${NAME} references`);
    const fetch = await this.tokens.fetchFor(server.id);
    const now = this.clock.now();
    let discovered;
    let client;
    try {
      discovered = await discoverAuthorization(fetch, serverUrl);
      client = await this.clients.forAuthorization(fetch, server.slug, setting, discovered.server, this.redirectUri);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw oauthFailure(server.slug, error);
    }
    const scopes = setting.scopes.length ? setting.scopes : discovered.scopes;
    const { verifier, challenge } = pkcePair();
    const { state, hash } = newState();
    const id = randomUUID();
    const expiresAt = new Date(now + REQUEST_TTL_MS);
    await this.repository.transaction(async (manager) => {
      // Flows people never finished go with the next one started.
      await this.repository.deleteExpiredRequests(manager, new Date(now));
      await manager.getRepository(UpstreamAuthorizationRequest).insert({
        id,
        stateHash: hash,
        userId: viewer.id,
        serverId: server.id,
        codeVerifier: this.secrets.sealVerifier(id, verifier),
        issuer: discovered.server.issuer,
        tokenEndpoint: discovered.server.tokenEndpoint,
        revocationEndpoint: discovered.server.revocationEndpoint,
        clientId: client.clientId,
        clientAuth: client.auth,
        redirectUri: this.redirectUri,
        resource: discovered.resource,
        scopes,
        expiresAt,
      });
    });
    const url = new URL(discovered.server.authorizationEndpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('resource', discovered.resource);
    if (scopes.length) url.searchParams.set('scope', scopes.join(' '));
    return { authorizationUrl: url.toString(), expiresAt };
  }

  /** The browser's return from the authorization server. Never throws: the outcome is shown on the server's page. */
  async finish(query: Record<string, unknown>): Promise<CallbackOutcome> {
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const state = param('state');
    if (!state) return { serverId: null, ok: false, message: 'The authorization server sent no state: start again from the dashboard' };
    const request = await this.repository.transaction((manager) => this.repository.takeRequest(manager, stateHash(state), new Date(this.clock.now())));
    if (!request) return { serverId: null, ok: false, message: 'This authorization has expired or was already used: start again from the dashboard' };
    identifyRequest({ actorId: request.userId, authMethod: 'upstream-oauth-callback' });
    const server = (await this.servers.findByIds([request.serverId]))[0];
    const label = server?.slug ?? request.serverId;
    const action = 'upstreamAuthorizationCallback';
    const target = { targetType: 'Server', targetId: request.serverId };
    const fail = async (message: string, error?: unknown) => {
      const result = error ? resultOf(error) : { outcome: AuditOutcome.FAILED, errorCode: ErrorCode.UPSTREAM_UNAVAILABLE, errorMessage: message };
      await this.audit.record({ action, ...target, ...result }).catch((e: Error) => this.logger.error({ err: e.message }, 'audit write failed'));
      return { serverId: request.serverId, ok: false, message };
    };
    const refused = param('error');
    if (refused) return fail(`The authorization server refused: ${refused.slice(0, 100)}${param('error_description') ? ` (${param('error_description')!.slice(0, 200)})` : ''}`);
    const code = param('code');
    if (!code) return fail('The authorization server sent no code');
    if (!server) return fail('The server no longer exists');
    try {
      const fetch = await this.tokens.fetchFor(request.serverId);
      const client = await this.clients.forGrant(request);
      const now = this.clock.now();
      const verifier = this.secrets.openVerifier(request.id, request.codeVerifier);
      const tokens = await requestTokens(fetch, request.tokenEndpoint, client, { code, verifier, redirectUri: request.redirectUri }, request.resource, now).catch((error: unknown) => {
        throw oauthFailure(label, error);
      });
      await this.repository.transaction(async (manager) => {
        const existing = await this.repository.grant(request.userId, request.serverId, manager);
        const grant = existing ?? manager.getRepository(UpstreamAuthorization).create({ id: randomUUID(), userId: request.userId, serverId: request.serverId });
        Object.assign(grant, {
          issuer: request.issuer,
          tokenEndpoint: request.tokenEndpoint,
          revocationEndpoint: request.revocationEndpoint,
          clientId: request.clientId,
          clientAuth: request.clientAuth,
          accessToken: this.secrets.sealToken(grant.id, 'access', tokens.accessToken),
          refreshToken: tokens.refreshToken ? this.secrets.sealToken(grant.id, 'refresh', tokens.refreshToken) : null,
          expiresAt: tokens.expiresAt,
          issuedAt: new Date(now),
          scopes: tokens.scopes ?? request.scopes,
          resource: request.resource,
        });
        await manager.getRepository(UpstreamAuthorization).save(grant);
        await this.audit.record(
          { action, ...target, outcome: AuditOutcome.SUCCESS, changes: [{ entity: 'UpstreamAuthorization', id: grant.id, op: existing ? 'UPDATE' : 'INSERT', fields: [{ name: 'accessToken', secret: true }, { name: 'scopes', new: grant.scopes }] }] },
          manager,
        );
      });
    } catch (error) {
      return fail(error instanceof DomainError ? error.message : 'The tokens could not be stored', error);
    }
    await this.announce(request.serverId, request.userId);
    return { serverId: request.serverId, ok: true, message: `Server "${label}" is authorized: your agents' calls now carry your own access` };
  }

  /** Forgets the viewer's grant for the server (telling the authorization server first when it can be told). */
  async revoke(viewer: Actor, serverId: string): Promise<boolean> {
    if (!z.uuid().safeParse(serverId).success) throw badInput('serverId', 'must be a UUID');
    const grant = await this.repository.grant(viewer.id, serverId);
    if (!grant) return false;
    if (grant.revocationEndpoint) {
      try {
        const fetch = await this.tokens.fetchFor(serverId);
        const client = await this.clients.forGrant(grant);
        // The refresh token first: revoking it usually ends the access tokens issued with it too (RFC 7009 §2.1).
        if (grant.refreshToken) await revokeToken(fetch, grant.revocationEndpoint, client, this.secrets.openToken(grant.id, 'refresh', grant.refreshToken), 'refresh_token');
        await revokeToken(fetch, grant.revocationEndpoint, client, this.secrets.openToken(grant.id, 'access', grant.accessToken), 'access_token');
      } catch (error) {
        // The hub forgets the tokens either way; the authorization server's copy expires on its own.
        this.logger.warn({ serverId, err: (error as Error).message }, 'upstream token revocation failed');
      }
    }
    await this.repository.transaction((manager) => manager.delete(UpstreamAuthorization, { id: grant.id }));
    await this.announce(serverId, viewer.id);
    return true;
  }

  /** The viewer's grant for each server that uses OAuth (absent: the server does not). */
  async viewerStates(viewer: Actor, servers: McpServer[]): Promise<Map<string, UpstreamAuthorizationView>> {
    const settings = await this.repository.settings(servers.map((s) => s.id));
    const grants = new Map((await this.repository.grantsOf(viewer.id, settings.map((s) => s.serverId))).map((g) => [g.serverId, g]));
    const now = this.clock.now();
    const out = new Map<string, UpstreamAuthorizationView>();
    for (const { serverId } of settings) {
      const grant = grants.get(serverId);
      if (!grant) {
        out.set(serverId, { state: UpstreamAuthorizationState.NOT_AUTHORIZED, expiresAt: null, scopes: [], authorizedAt: null });
        continue;
      }
      const expired = !grant.refreshToken && grant.expiresAt !== null && grant.expiresAt.getTime() <= now;
      out.set(serverId, {
        state: expired ? UpstreamAuthorizationState.EXPIRED : UpstreamAuthorizationState.AUTHORIZED,
        expiresAt: grant.expiresAt,
        scopes: grant.scopes,
        authorizedAt: grant.createdAt,
      });
    }
    return out;
  }

  /** The person's connections to the server are recycled, so the next call carries the new grant (or none). */
  private announce(serverId: string, userId: string): Promise<void> {
    return this.bus.publish({ kind: 'upstream-authorization', id: serverId, detail: { serverId, userId } });
  }
}
