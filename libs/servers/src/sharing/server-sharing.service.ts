import { Injectable } from '@nestjs/common';
import { Permission, type AccessLevel, type Actor } from '#auth';
import { ResourceSharesRepository, ResourceSharingService, ShareableType } from '#users';
import type { McpServer } from '../mcp-server.entity.js';
import { ServersService } from '../servers.service.js';

/** Sharing a server with a team takes SERVER_SHARE (OWNER access) on it; returns the server with its shares. */
@Injectable()
export class ServerSharingService {
  constructor(
    private readonly servers: ServersService,
    private readonly sharing: ResourceSharingService,
    private readonly shares: ResourceSharesRepository,
  ) {}

  async share(actor: Actor, serverId: string, teamId: string, level: AccessLevel): Promise<McpServer> {
    const server = await this.servers.get(actor, serverId, 'serverId', Permission.SERVER_SHARE);
    await this.sharing.share(actor, ShareableType.SERVER, server.id, teamId, level);
    return (await this.shares.attach(ShareableType.SERVER, server))!;
  }

  async unshare(actor: Actor, serverId: string, teamId: string): Promise<McpServer> {
    const server = await this.servers.get(actor, serverId, 'serverId', Permission.SERVER_SHARE);
    await this.sharing.unshare(ShareableType.SERVER, server.id, teamId);
    return (await this.shares.attach(ShareableType.SERVER, server))!;
  }
}
