import { AccessLevel, Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ResourceShareType, ShareableType, SharesLoader } from '#users';
import type { McpServer } from '../mcp-server.entity.js';
import { ServerSharingService } from '../sharing/server-sharing.service.js';
import { ServerType } from './server.type.js';

@Resolver(() => ServerType)
export class ServerSharesResolver {
  constructor(
    private readonly sharing: ServerSharingService,
    private readonly sharesLoader: SharesLoader,
  ) {}

  @Authorize(Permission.SERVER_SHARE)
  @Mutation(() => ServerType, { description: "Gives a team's members access to the server (again: changes the level). Needs OWNER access" })
  shareServer(
    @CurrentActor() actor: Actor,
    @Args('serverId', { type: () => ID }) serverId: string,
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('level', { type: () => AccessLevel }) level: AccessLevel,
  ) {
    return this.sharing.share(actor, serverId, teamId, level);
  }

  @Authorize(Permission.SERVER_SHARE)
  @Mutation(() => ServerType, { description: "Takes the team's access away at once. Needs OWNER access" })
  unshareServer(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Args('teamId', { type: () => ID }) teamId: string) {
    return this.sharing.unshare(actor, serverId, teamId);
  }

  @ResolveField(() => [ResourceShareType], { description: 'Teams the server is shared with' })
  shares(@Parent() server: McpServer, @Context() context: object) {
    return this.sharesLoader.load(context, ShareableType.SERVER, server);
  }
}
