import { Injectable } from '@nestjs/common';
import { RequestLoader } from '#core';
import type { ServerReplica } from './server-replica.entity.js';
import { ServerReplicasService } from './server-replicas.service.js';

/** `servers { replicas }`: one query per GraphQL request, whatever the number of servers. */
@Injectable()
export class ServerReplicasLoader {
  private readonly loader: RequestLoader<string, ServerReplica[]>;

  constructor(replicas: ServerReplicasService) {
    this.loader = new RequestLoader((ids) => replicas.listFor(ids), () => []);
  }

  load(requestContext: object, serverId: string): Promise<ServerReplica[]> {
    return this.loader.load(requestContext, serverId);
  }
}
