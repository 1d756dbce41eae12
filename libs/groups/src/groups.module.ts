import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServersModule } from '#servers';
import { UsersModule } from '#users';
import { GroupServer } from './group-server.entity.js';
import { Group } from './group.entity.js';
import { GroupServersLoader } from './graphql/group-servers.loader.js';
import { GroupsResolver } from './graphql/groups.resolver.js';
import { GroupsService } from './groups.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Group, GroupServer]), UsersModule, ServersModule],
  providers: [GroupsService, GroupServersLoader, GroupsResolver],
  exports: [GroupsService],
})
export class GroupsModule {}
