import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { ToolPin } from '../tool-pin.entity.js';
import { ToolPinsService } from '../tool-pins.service.js';

/** `servers { toolDrifts }`: one query per GraphQL request, whatever the number of servers. */
@Injectable()
export class ToolDriftsLoader {
  private readonly loader: RequestLoader<string, ToolPin[]>;

  constructor(pins: ToolPinsService) {
    this.loader = new RequestLoader((ids) => pins.pendingOf(ids), () => []);
  }

  load(requestContext: object, serverId: string): Promise<ToolPin[]> {
    return this.loader.load(requestContext, serverId);
  }
}
