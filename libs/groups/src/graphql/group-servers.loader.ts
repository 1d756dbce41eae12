import { Injectable } from '@nestjs/common';
import type { McpServer } from '#servers';
import { GroupsService } from '../groups.service.js';
import { BatchLoader } from '#core';

/** One BatchLoader per GraphQL request (keyed by its context object), so `groups { servers }` is one query. */
@Injectable()
export class GroupServersLoader {
  private readonly perRequest = new WeakMap<object, BatchLoader<string, McpServer[]>>();

  constructor(private readonly groups: GroupsService) {}

  load(requestContext: object, groupId: string): Promise<McpServer[]> {
    let loader = this.perRequest.get(requestContext);
    if (!loader) {
      loader = new BatchLoader((ids) => this.groups.serversOf(ids), () => []);
      this.perRequest.set(requestContext, loader);
    }
    return loader.load(groupId);
  }
}
