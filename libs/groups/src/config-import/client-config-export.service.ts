import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '#core';
import { ServersService, type McpServer } from '#servers';
import type { Actor } from '#auth';
import { McpClientId, type ClientConfig } from '../client-configs.js';
import { GroupsService } from '../groups.service.js';
import { ClientConfigFormat } from './client-config-format.js';
import { memberServersConfig } from './export-client-config.js';

export interface ClientConfigExport {
  /** The one entry agents should use: the group's endpoint (Group.clientConfigs of the client of this format). */
  groupEndpoint: ClientConfig;
  /** The member servers' own definitions, secrets as references; only the members the viewer may read. */
  memberServers: string;
  /** Slugs of members left out: the viewer may use the group but not read that server's definition. */
  omittedServers: string[];
}

@Injectable()
export class ClientConfigExportService {
  constructor(
    private readonly groups: GroupsService,
    private readonly servers: ServersService,
  ) {}

  async export(viewer: Actor, groupId: string, format: ClientConfigFormat): Promise<ClientConfigExport> {
    const group = await this.groups.get(viewer, groupId, 'groupId');
    const members = (await this.groups.serversOf([group.id])).get(group.id) ?? [];
    const readable: McpServer[] = [];
    const omittedServers: string[] = [];
    for (const member of members) {
      try {
        readable.push(await this.servers.get(viewer, member.id));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ErrorCode.NOT_FOUND) throw error;
        omittedServers.push(member.slug);
      }
    }
    const client = format === ClientConfigFormat.VSCODE ? McpClientId.VSCODE : McpClientId.CURSOR;
    return {
      groupEndpoint: this.groups.clientConfigs(group).find((c) => c.client === client)!,
      memberServers: memberServersConfig(format, readable),
      omittedServers,
    };
  }
}
