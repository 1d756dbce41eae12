import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#auth';
import { ServersModule } from '#servers';
import { ServerOAuthSetting } from './entities/server-oauth-setting.entity.js';
import { UpstreamAuthorizationRequest } from './entities/upstream-authorization-request.entity.js';
import { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
import { UpstreamOAuthClient } from './entities/upstream-oauth-client.entity.js';
import { UpstreamAuthorizationsLoader } from './graphql/upstream-authorizations.loader.js';
import { UpstreamOAuthResolver } from './graphql/upstream-oauth.resolver.js';
import { UpstreamOAuthCallbackController } from './http/upstream-oauth-callback.controller.js';
import { OAuthClients } from './oauth-clients.js';
import { ServerOAuthSettingsService } from './server-oauth-settings.service.js';
import { UpstreamAuthorizationService } from './upstream-authorization.service.js';
import { UpstreamOAuthRepository } from './upstream-oauth.repository.js';
import { UpstreamOAuthSecrets } from './upstream-oauth-secrets.js';
import { UpstreamTokens } from './upstream-tokens.service.js';

/** Each person's upstream tokens, for the gateway (connect time); the API and the callback in UpstreamOAuthApiModule. */
@Module({
  imports: [TypeOrmModule.forFeature([ServerOAuthSetting, UpstreamOAuthClient, UpstreamAuthorization, UpstreamAuthorizationRequest]), ServersModule],
  providers: [UpstreamOAuthRepository, UpstreamOAuthSecrets, OAuthClients, UpstreamTokens],
  exports: [UpstreamTokens, UpstreamOAuthRepository, UpstreamOAuthSecrets, OAuthClients],
})
export class UpstreamOAuthModule {}

@Module({
  imports: [UpstreamOAuthModule, ServersModule, AuditModule],
  providers: [ServerOAuthSettingsService, UpstreamAuthorizationService, UpstreamAuthorizationsLoader, UpstreamOAuthResolver],
  controllers: [UpstreamOAuthCallbackController],
})
export class UpstreamOAuthApiModule {}
