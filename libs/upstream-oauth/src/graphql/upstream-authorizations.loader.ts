import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Actor } from '#auth';
import type { McpServer } from '#servers';
import { ServerOAuthSetting } from '../entities/server-oauth-setting.entity.js';
import { UpstreamOAuthRepository } from '../upstream-oauth.repository.js';
import { UpstreamAuthorizationService, type UpstreamAuthorizationView } from '../upstream-authorization.service.js';

/** One DataLoader per GraphQL request, so `servers { upstreamOAuth upstreamAuthorization }` costs two queries, not 2n. */
@Injectable()
export class UpstreamAuthorizationsLoader {
  private readonly views = new WeakMap<object, DataLoader<McpServer, UpstreamAuthorizationView | null>>();
  private readonly settings = new WeakMap<object, DataLoader<string, ServerOAuthSetting | null>>();

  constructor(
    private readonly service: UpstreamAuthorizationService,
    private readonly repository: UpstreamOAuthRepository,
  ) {}

  view(context: object, viewer: Actor, server: McpServer): Promise<UpstreamAuthorizationView | null> {
    let loader = this.views.get(context);
    if (!loader) {
      loader = new DataLoader(
        async (servers) => {
          const states = await this.service.viewerStates(viewer, [...servers]);
          return servers.map((s) => states.get(s.id) ?? null);
        },
        // No cache: a later mutation in the same request must see fresh data.
        { cache: false },
      );
      this.views.set(context, loader);
    }
    return loader.load(server);
  }

  setting(context: object, serverId: string): Promise<ServerOAuthSetting | null> {
    let loader = this.settings.get(context);
    if (!loader) {
      loader = new DataLoader(
        async (ids) => {
          const byId = new Map((await this.repository.settings([...ids])).map((s) => [s.serverId, s]));
          return ids.map((id) => byId.get(id) ?? null);
        },
        { cache: false },
      );
      this.settings.set(context, loader);
    }
    return loader.load(serverId);
  }
}
