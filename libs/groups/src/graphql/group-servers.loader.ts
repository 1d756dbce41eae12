import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { McpServer } from '#servers';
import { GroupsService } from '../groups.service.js';

/** `groups { servers }`: one query per GraphQL request (a DataLoader keyed by its context object). */
@Injectable()
export class GroupServersLoader {
  private readonly loader: RequestLoader<string, McpServer[]>;

  constructor(groups: GroupsService) {
    this.loader = new RequestLoader((ids) => groups.serversOf(ids), () => []);
  }

  load(requestContext: object, groupId: string): Promise<McpServer[]> {
    return this.loader.load(requestContext, groupId);
  }
}
