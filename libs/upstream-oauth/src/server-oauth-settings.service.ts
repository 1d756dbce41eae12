import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConfigChangeBus, badInput, validate } from '#core';
import { Permission, type Actor } from '#auth';
import { McpServer, ServersService, ServerTransport, primaryEndpoint } from '#servers';
import { ServerOAuthSetting } from './entities/server-oauth-setting.entity.js';
import { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
import { UpstreamOAuthClient } from './entities/upstream-oauth-client.entity.js';
import { UpstreamOAuthRepository } from './upstream-oauth.repository.js';
import { UpstreamOAuthSecrets } from './upstream-oauth-secrets.js';

const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

const settingSchema = z.object({
  enabled: z.boolean('must be true or false'),
  clientId: z.string().trim().max(512, 'must be at most 512 characters').nullish().transform((v) => v || null),
  /** Absent: keep the stored secret (if the client id stays); empty: none. */
  clientSecret: z.string().max(4096, 'must be at most 4096 characters').nullish(),
  scopes: z.array(z.string().regex(SCOPE, 'must be OAuth scope names (no spaces or quotes)').max(256)).max(50, 'at most 50').nullish(),
});

export type ServerOAuthSettingInput = z.input<typeof settingSchema>;

/**
 * Whether a remote server requires OAuth, and with which client. Turning it off forgets the server's grants and
 * registered clients: nobody's connection will carry those tokens again.
 */
@Injectable()
export class ServerOAuthSettingsService {
  constructor(
    private readonly servers: ServersService,
    private readonly repository: UpstreamOAuthRepository,
    private readonly secrets: UpstreamOAuthSecrets,
    private readonly bus: ConfigChangeBus,
  ) {}

  async set(viewer: Actor, serverId: string, input: ServerOAuthSettingInput): Promise<McpServer> {
    const server = await this.servers.get(viewer, serverId, 'serverId', Permission.SERVER_UPDATE);
    const data = validate(settingSchema, input, 'input');
    if (data.enabled && primaryEndpoint(server).transport === ServerTransport.STDIO) throw badInput('input.enabled', 'OAuth is for remote servers (SSE or Streamable HTTP), not STDIO');
    if (data.clientSecret && !data.clientId) throw badInput('input.clientSecret', 'needs a client id');
    await this.repository.transaction(async (manager) => {
      const existing = await this.repository.setting(serverId, manager);
      if (!data.enabled) {
        if (!existing) return;
        await manager.delete(UpstreamAuthorization, { serverId });
        await manager.delete(UpstreamOAuthClient, { serverId });
        await manager.delete(ServerOAuthSetting, { serverId });
        return;
      }
      const setting = existing ?? manager.getRepository(ServerOAuthSetting).create({ serverId, clientSecret: null });
      const sameClient = existing?.clientId === data.clientId;
      if (data.clientSecret !== undefined && data.clientSecret !== null) setting.clientSecret = data.clientSecret ? this.secrets.sealSetting(serverId, data.clientSecret) : null;
      else if (!sameClient) setting.clientSecret = null;
      setting.clientId = data.clientId;
      setting.scopes = data.scopes ?? [];
      await manager.getRepository(ServerOAuthSetting).save(setting);
    });
    // The gateway connects to the server per person from now on (or no longer).
    await this.bus.publish({ kind: 'server', id: serverId });
    return this.servers.get(viewer, serverId, 'serverId');
  }

  setting(serverId: string): Promise<ServerOAuthSetting | null> {
    return this.repository.setting(serverId);
  }
}
