import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServersModule } from '#servers';
import { UsersModule } from '#users';
import { GroupServer } from './group-server.entity.js';
import { Group } from './group.entity.js';
import { GroupRevisionsResolver } from './graphql/group-revisions.resolver.js';
import { GroupServersLoader } from './graphql/group-servers.loader.js';
import { GroupsResolver } from './graphql/groups.resolver.js';
import { GroupsService } from './groups.service.js';
import { GroupRevision } from './revisions/group-revision.entity.js';
import { GroupRevisionsService } from './revisions/group-revisions.service.js';
import { RollbackGroup } from './revisions/rollback-group.js';
import { GroupSharesResolver } from './graphql/group-shares.resolver.js';
import { GroupSharingService } from './sharing/group-sharing.service.js';
import { ClientConfigImportResolver } from './graphql/client-config-import.resolver.js';
import { ClientConfigExportService } from './config-import/client-config-export.service.js';
import { ImportClientConfig } from './config-import/import-client-config.js';

@Module({
  imports: [TypeOrmModule.forFeature([Group, GroupServer, GroupRevision]), UsersModule, ServersModule],
  providers: [GroupsService, GroupRevisionsService, RollbackGroup, GroupServersLoader, GroupsResolver, GroupRevisionsResolver, GroupSharingService, GroupSharesResolver, ImportClientConfig, ClientConfigExportService, ClientConfigImportResolver],
  exports: [GroupsService, GroupRevisionsService],
})
export class GroupsModule {}
