import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '#users';
import { CredentialsModule } from '#credentials';
import { ServerReplicasFieldResolver, ServerReplicasResolver } from './graphql/server-replicas.resolver.js';
import { ServersResolver } from './graphql/servers.resolver.js';
import { ServerEndpoint } from './endpoints/server-endpoint.entity.js';
import { ServerReplicasService } from './replicas/server-replicas.service.js';
import { McpServer } from './mcp-server.entity.js';
import { ServerSecrets } from './server-secrets.js';
import { ServersService } from './servers.service.js';
import { EgressGuard } from './egress/egress-guard.js';
import { ServerSharesResolver } from './graphql/server-shares.resolver.js';
import { ServerSharingService } from './sharing/server-sharing.service.js';
import { ServerPageResolver } from './graphql/server-page.resolver.js';
import { ServerPageService } from './listing/server-page.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([McpServer, ServerEndpoint]), UsersModule, CredentialsModule],
  providers: [ServersService, ServerSecrets, EgressGuard, ServersResolver, ServerReplicasService, ServerReplicasResolver, ServerReplicasFieldResolver, ServerSharingService, ServerSharesResolver, ServerPageService, ServerPageResolver],
  exports: [ServersService, ServerReplicasService, EgressGuard, CredentialsModule],
})
export class ServersModule {}
