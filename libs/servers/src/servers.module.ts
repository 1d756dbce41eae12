import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '#users';
import { ServersResolver } from './graphql/servers.resolver.js';
import { McpServer } from './mcp-server.entity.js';
import { ServerSecrets } from './server-secrets.js';
import { ServersService } from './servers.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([McpServer]), UsersModule],
  providers: [ServersService, ServerSecrets, ServersResolver],
  exports: [ServersService],
})
export class ServersModule {}
