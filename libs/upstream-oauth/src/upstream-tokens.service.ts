import { Inject, Injectable } from '@nestjs/common';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { EntityManager } from 'typeorm';
import { Clock, DomainError, PINO, type Logger } from '#core';
import { EgressGuard, egressModeFor } from '#servers';
import { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
import { OAuthClients } from './oauth-clients.js';
import { OAuthProtocolError } from './protocol/oauth-http.js';
import { requestTokens } from './protocol/token-endpoint.js';
import { authorizationRequired, oauthFailure } from './upstream-oauth.errors.js';
import { UpstreamOAuthRepository } from './upstream-oauth.repository.js';
import { UpstreamOAuthSecrets } from './upstream-oauth-secrets.js';

/** A token refreshed this close to its expiry at the latest: a minute, or half its lifetime when shorter. */
const REFRESH_MARGIN_MS = 60_000;

/** When a grant's access token should be replaced (null: it does not expire as far as the hub knows). */
export function refreshAt(grant: Pick<UpstreamAuthorization, 'expiresAt' | 'issuedAt'>): number | null {
  if (!grant.expiresAt) return null;
  const expires = grant.expiresAt.getTime();
  const lifetime = Math.max(0, expires - grant.issuedAt.getTime());
  return expires - Math.min(REFRESH_MARGIN_MS, lifetime / 2);
}

export interface Bearer {
  token: string;
  /** When the connection carrying it should be recycled so the next one gets a fresh token (null: never). */
  refreshAt: number | null;
  /** When it was issued: which token the upstream refused, if it does (see `refused`). */
  issuedAt: number;
}

const REFUSED = 'needs your authorization again (it refused your access)';
const ENDED = 'needs your authorization again (the authorization server ended your grant)';

/**
 * Each person's access token for a server, for the gateway at connect time (never per call): refreshed with the
 * refresh token when due (one refresh per grant at a time, across hubs by a row lock); a grant the authorization
 * server no longer honours is deleted and the person is told to authorize again.
 */
@Injectable()
export class UpstreamTokens {
  private readonly refreshing = new Map<string, Promise<UpstreamAuthorization>>();

  constructor(
    private readonly repository: UpstreamOAuthRepository,
    private readonly secrets: UpstreamOAuthSecrets,
    private readonly clients: OAuthClients,
    private readonly egress: EgressGuard,
    private readonly clock: Clock,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Servers with OAuth enabled (of `among` only, when given). */
  enabledServerIds(among?: string[]): Promise<string[]> {
    return this.repository.enabledServerIds(among);
  }

  /** Throws UPSTREAM_AUTHORIZATION_REQUIRED when the person has no usable grant. */
  async bearerFor(serverId: string, userId: string, serverLabel: string): Promise<Bearer> {
    let grant = await this.repository.grant(userId, serverId);
    if (!grant) throw authorizationRequired(serverLabel);
    const due = refreshAt(grant);
    if (due !== null && due <= this.clock.now()) {
      if (!grant.refreshToken) {
        if (grant.expiresAt!.getTime() <= this.clock.now()) throw authorizationRequired(serverLabel, 'needs your authorization again (your access expired or was refused)');
      } else {
        grant = await this.refreshOnce(grant, serverLabel);
      }
    }
    return { token: this.secrets.openToken(grant.id, 'access', grant.accessToken), refreshAt: refreshAt(grant), issuedAt: grant.issuedAt.getTime() };
  }

  /**
   * The upstream refused the token issued at `issuedAt` before its stated expiry (revoked at the authorization
   * server). Resolves when the next connection may try again: the grant was refreshed now (only when `mayRefresh`:
   * one refresh per refusal), or was replaced since. Otherwise the grant is marked as needing a new authorization
   * (the dashboard shows it EXPIRED) and the person is told to authorize again.
   */
  async refused(serverId: string, userId: string, serverLabel: string, issuedAt: number, mayRefresh: boolean): Promise<void> {
    const grant = await this.repository.grant(userId, serverId);
    if (!grant) throw authorizationRequired(serverLabel);
    if (grant.issuedAt.getTime() !== issuedAt) return;
    this.logger.info({ serverId, userId, mayRefresh }, 'upstream refused an access token before its expiry');
    if (mayRefresh && grant.refreshToken) {
      await this.refreshOnce(grant, serverLabel);
      return;
    }
    const marked = await this.repository.transaction(async (manager) => {
      const locked = await this.repository.lockGrant(manager, userId, serverId);
      // Refreshed or authorized again by someone else meanwhile: that token has not been refused.
      if (!locked || locked.issuedAt.getTime() !== issuedAt) return false;
      await this.markRefused(manager, locked);
      return true;
    });
    if (marked) throw authorizationRequired(serverLabel, REFUSED);
  }

  /** Outbound OAuth requests for a server follow its owner's egress policy, like its connections. */
  async fetchFor(serverId: string): Promise<FetchLike> {
    const server = await this.repository.serverWithOwner(serverId);
    return this.egress.fetchFor(egressModeFor(server?.owner?.role));
  }

  private refreshOnce(grant: UpstreamAuthorization, serverLabel: string): Promise<UpstreamAuthorization> {
    const key = `${grant.userId}:${grant.serverId}`;
    let running = this.refreshing.get(key);
    if (!running) {
      running = this.refresh(grant, serverLabel).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, running);
    }
    return running;
  }

  private async refresh(stale: UpstreamAuthorization, serverLabel: string): Promise<UpstreamAuthorization> {
    const fetch = await this.fetchFor(stale.serverId);
    const client = await this.clients.forGrant(stale);
    let gone = false;
    const refreshed = await this.repository.transaction(async (manager) => {
      const grant = await this.repository.lockGrant(manager, stale.userId, stale.serverId);
      if (!grant) return null;
      // Another hub refreshed it while this one waited for the lock.
      if (grant.issuedAt.getTime() !== stale.issuedAt.getTime() || !grant.refreshToken) return grant;
      const now = this.clock.now();
      try {
        const tokens = await requestTokens(fetch, grant.tokenEndpoint, client, { refreshToken: this.secrets.openToken(grant.id, 'refresh', grant.refreshToken) }, grant.resource, now);
        grant.accessToken = this.secrets.sealToken(grant.id, 'access', tokens.accessToken);
        // RFC 6749 §6: a new refresh token replaces the old one; none returned means the old one stays valid.
        if (tokens.refreshToken) grant.refreshToken = this.secrets.sealToken(grant.id, 'refresh', tokens.refreshToken);
        grant.expiresAt = tokens.expiresAt;
        grant.issuedAt = new Date(now);
        if (tokens.scopes) grant.scopes = tokens.scopes;
        return manager.getRepository(UpstreamAuthorization).save(grant);
      } catch (error) {
        if (error instanceof OAuthProtocolError && error.oauthError === 'invalid_grant') {
          await this.markRefused(manager, grant);
          gone = true;
          return null;
        }
        throw error;
      }
    }).catch((error: unknown) => {
      if (error instanceof DomainError) throw error;
      this.logger.warn({ serverId: stale.serverId, err: (error as Error).message }, 'upstream token refresh failed');
      throw oauthFailure(serverLabel, error);
    });
    if (!refreshed) throw authorizationRequired(serverLabel, gone ? ENDED : 'needs your authorization');
    this.logger.info({ serverId: stale.serverId, userId: stale.userId }, 'upstream access token refreshed');
    return refreshed;
  }

  /**
   * Kept (not deleted) so the person's dashboard says their access ended: expired now, with nothing to renew it.
   * `revoke` still finds the access token to tell the authorization server about.
   */
  private async markRefused(manager: EntityManager, grant: UpstreamAuthorization): Promise<void> {
    grant.expiresAt = new Date(this.clock.now());
    grant.refreshToken = null;
    await manager.getRepository(UpstreamAuthorization).save(grant);
  }
}

