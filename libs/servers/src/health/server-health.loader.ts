import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { ReplicaHealthCheck } from './replica-health-check.entity.js';
import { ServerHealthService } from './server-health.service.js';

/** `servers { health }`: one query per GraphQL request, whatever the number of servers. */
@Injectable()
export class ServerHealthLoader {
  private readonly loader: RequestLoader<string, ReplicaHealthCheck[]>;

  constructor(health: ServerHealthService) {
    this.loader = new RequestLoader((ids) => health.latestFor(ids), () => []);
  }

  load(requestContext: object, serverId: string): Promise<ReplicaHealthCheck[]> {
    return this.loader.load(requestContext, serverId);
  }
}
