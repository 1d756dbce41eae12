import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { McpServer } from '#servers';
import { ServerOAuthSetting } from './entities/server-oauth-setting.entity.js';
import { UpstreamAuthorizationRequest } from './entities/upstream-authorization-request.entity.js';
import { UpstreamAuthorization } from './entities/upstream-authorization.entity.js';
import { UpstreamOAuthClient } from './entities/upstream-oauth-client.entity.js';

/** Every query on upstream OAuth settings, registered clients, authorizations under way and grants. */
@Injectable()
export class UpstreamOAuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  setting(serverId: string, manager = this.dataSource.manager): Promise<ServerOAuthSetting | null> {
    return manager.findOneBy(ServerOAuthSetting, { serverId });
  }

  settings(serverIds: string[]): Promise<ServerOAuthSetting[]> {
    if (!serverIds.length) return Promise.resolve([]);
    return this.dataSource.manager.createQueryBuilder(ServerOAuthSetting, 's').where('s.server_id IN (:...serverIds)', { serverIds }).getMany();
  }

  /** Servers whose connections carry each person's own token (the gateway connects to them per person); of `among` only, when given. */
  async enabledServerIds(among?: string[]): Promise<string[]> {
    if (among && !among.length) return [];
    const where = among ? { serverId: In(among) } : {};
    return (await this.dataSource.manager.find(ServerOAuthSetting, { select: { serverId: true }, where })).map((s) => s.serverId);
  }

  /** The server with its owner: outbound OAuth requests follow the owner's egress policy, like its connections. */
  serverWithOwner(serverId: string): Promise<McpServer | null> {
    return this.dataSource.manager.findOne(McpServer, { where: { id: serverId }, relations: { owner: true } });
  }

  registeredClient(serverId: string, issuer: string, redirectUri: string): Promise<UpstreamOAuthClient | null> {
    return this.dataSource.manager.findOneBy(UpstreamOAuthClient, { serverId, issuer, redirectUri });
  }

  clientById(serverId: string, issuer: string, clientId: string): Promise<UpstreamOAuthClient | null> {
    return this.dataSource.manager.findOneBy(UpstreamOAuthClient, { serverId, issuer, clientId });
  }

  grant(userId: string, serverId: string, manager = this.dataSource.manager): Promise<UpstreamAuthorization | null> {
    return manager.findOneBy(UpstreamAuthorization, { userId, serverId });
  }

  grantsOf(userId: string, serverIds: string[]): Promise<UpstreamAuthorization[]> {
    if (!serverIds.length) return Promise.resolve([]);
    return this.dataSource.manager
      .createQueryBuilder(UpstreamAuthorization, 'a')
      .where('a.user_id = :userId AND a.server_id IN (:...serverIds)', { userId, serverIds })
      .getMany();
  }

  /** The grant locked for a refresh: two hubs refreshing at once would spend a rotating refresh token twice. */
  lockGrant(manager: EntityManager, userId: string, serverId: string): Promise<UpstreamAuthorization | null> {
    return manager.getRepository(UpstreamAuthorization).createQueryBuilder('a').setLock('pessimistic_write').where('a.user_id = :userId AND a.server_id = :serverId', { userId, serverId }).getOne();
  }

  /** Takes the authorization under way for this state (it can be used once), or null when unknown or expired. */
  async takeRequest(manager: EntityManager, stateHash: string, now: Date): Promise<UpstreamAuthorizationRequest | null> {
    const request = await manager.getRepository(UpstreamAuthorizationRequest).createQueryBuilder('r').setLock('pessimistic_write').where('r.state_hash = :stateHash', { stateHash }).getOne();
    if (!request) return null;
    await manager.delete(UpstreamAuthorizationRequest, { id: request.id });
    return request.expiresAt > now ? request : null;
  }

  deleteExpiredRequests(manager: EntityManager, now: Date): Promise<unknown> {
    return manager.delete(UpstreamAuthorizationRequest, { expiresAt: LessThan(now) });
  }
}
