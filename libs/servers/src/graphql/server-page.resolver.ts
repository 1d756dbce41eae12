import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { ServerPageService } from '../listing/server-page.service.js';
import { ServerPageType } from './server-page.type.js';

@Resolver()
export class ServerPageResolver {
  constructor(private readonly pages: ServerPageService) {}

  @Authorize(Permission.SERVER_READ)
  @Query(() => ServerPageType, { description: "Your servers (admins: everyone's), oldest first, a page at a time (first <= 100)" })
  async serverPage(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'pageInfo.endCursor of the previous page' }) after?: string,
    @Args('search', { type: () => String, nullable: true, description: 'Part of the name, slug or a tag (case-insensitive)' }) search?: string,
  ) {
    const page = await this.pages.page(actor, { first: first ?? undefined, after, search });
    return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }
}
