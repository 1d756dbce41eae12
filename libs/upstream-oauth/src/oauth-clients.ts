import { Injectable } from '@nestjs/common';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { randomUUID } from 'node:crypto';
import { badInput } from '#core';
import type { AuthorizationServerInfo } from './protocol/discovery.js';
import { clientAuthMethod, registerClient, type OAuthClient } from './protocol/token-endpoint.js';
import { UpstreamOAuthClient } from './entities/upstream-oauth-client.entity.js';
import type { ServerOAuthSetting } from './entities/server-oauth-setting.entity.js';
import { UpstreamOAuthRepository } from './upstream-oauth.repository.js';
import { UpstreamOAuthSecrets } from './upstream-oauth-secrets.js';

/** Which OAuth client the hub is towards a server's authorization server: the configured one, else one it registered. */
@Injectable()
export class OAuthClients {
  constructor(
    private readonly repository: UpstreamOAuthRepository,
    private readonly secrets: UpstreamOAuthSecrets,
  ) {}

  /** For a new authorization: the configured client, a registered one, or a fresh registration (RFC 7591). */
  async forAuthorization(
    fetch: FetchLike,
    serverLabel: string,
    setting: ServerOAuthSetting,
    as: AuthorizationServerInfo,
    redirectUri: string,
  ): Promise<OAuthClient> {
    if (setting.clientId) {
      const secret = setting.clientSecret ? this.secrets.openSetting(setting.serverId, setting.clientSecret) : null;
      return { clientId: setting.clientId, clientSecret: secret, auth: clientAuthMethod(secret, as.tokenEndpointAuthMethods) };
    }
    const known = await this.repository.registeredClient(setting.serverId, as.issuer, redirectUri);
    if (known) return this.open(known);
    if (!as.registrationEndpoint) {
      throw badInput('serverId', `the authorization server of "${serverLabel}" (${as.issuer}) offers no dynamic client registration: set a client id (and secret) in the server's OAuth settings`);
    }
    const registered = await registerClient(fetch, as.registrationEndpoint, redirectUri, 'MCP Hub');
    const id = randomUUID();
    await this.repository.transaction((manager) =>
      manager.getRepository(UpstreamOAuthClient).insert({
        id,
        serverId: setting.serverId,
        issuer: as.issuer,
        redirectUri,
        clientId: registered.clientId,
        clientSecret: registered.clientSecret ? this.secrets.sealClient(id, registered.clientSecret) : null,
      }),
    );
    return { clientId: registered.clientId, clientSecret: registered.clientSecret, auth: registered.auth };
  }

  /** For a refresh or a revocation: the client the grant was issued to, with its secret if it has one. */
  async forGrant(grant: { serverId: string; issuer: string; clientId: string; clientAuth: string }): Promise<OAuthClient> {
    const setting = await this.repository.setting(grant.serverId);
    if (setting?.clientId === grant.clientId) {
      return { clientId: grant.clientId, clientSecret: setting.clientSecret ? this.secrets.openSetting(setting.serverId, setting.clientSecret) : null, auth: grant.clientAuth };
    }
    const registered = await this.repository.clientById(grant.serverId, grant.issuer, grant.clientId);
    if (registered) return { ...this.open(registered), auth: grant.clientAuth };
    return { clientId: grant.clientId, clientSecret: null, auth: 'none' };
  }

  private open(client: UpstreamOAuthClient): OAuthClient {
    const secret = client.clientSecret ? this.secrets.openClient(client.id, client.clientSecret) : null;
    return { clientId: client.clientId, clientSecret: secret, auth: secret ? 'client_secret_basic' : 'none' };
  }
}
