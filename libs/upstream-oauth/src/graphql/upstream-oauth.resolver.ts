import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { ServerType, type McpServer } from '#servers';
import { ServerOAuthSettingsService } from '../server-oauth-settings.service.js';
import { UpstreamAuthorizationService } from '../upstream-authorization.service.js';
import { UpstreamAuthorizationsLoader } from './upstream-authorizations.loader.js';
import { ServerOAuthInput, ServerOAuthType, UpstreamAuthorizationStartType, UpstreamAuthorizationType } from './upstream-oauth.types.js';

@Resolver(() => ServerType)
export class UpstreamOAuthResolver {
  constructor(
    private readonly settings: ServerOAuthSettingsService,
    private readonly authorizations: UpstreamAuthorizationService,
    private readonly loader: UpstreamAuthorizationsLoader,
  ) {}

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerType, { description: 'Makes a remote server require OAuth (each person authorizes it), changes its client, or turns it off' })
  setServerOAuth(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Args('input') input: ServerOAuthInput) {
    return this.settings.set(actor, serverId, { ...input });
  }

  @Authorize(Permission.SERVER_READ)
  @Mutation(() => UpstreamAuthorizationStartType, { description: 'Starts your own authorization of a server that requires OAuth: open the URL in your browser' })
  authorizeUpstream(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string) {
    return this.authorizations.start(actor, serverId);
  }

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Boolean, { description: 'Ends your own authorization of a server (the authorization server is told when it offers revocation); false: there was none' })
  revokeUpstreamAuthorization(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string) {
    return this.authorizations.revoke(actor, serverId);
  }

  @ResolveField(() => ServerOAuthType, { nullable: true, description: 'null: the server does not use OAuth' })
  async oauth(@Parent() server: McpServer, @Context() context: object): Promise<ServerOAuthType | null> {
    const setting = await this.loader.setting(context, server.id);
    return setting && { clientId: setting.clientId, clientSecretSet: !!setting.clientSecret, scopes: setting.scopes };
  }

  @ResolveField(() => UpstreamAuthorizationType, { nullable: true, description: 'Your own authorization of it; null: the server does not use OAuth' })
  upstreamAuthorization(@CurrentActor() actor: Actor, @Parent() server: McpServer, @Context() context: object) {
    return this.loader.view(context, actor, server);
  }
}
