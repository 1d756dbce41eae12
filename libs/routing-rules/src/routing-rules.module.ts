import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GroupsModule } from '#groups';
import { KeysModule } from '#keys';
import { ServersModule } from '#servers';
import { UsersModule } from '#users';
import { RoutingRulesResolver } from './graphql/routing-rules.resolver.js';
import { RoutingRule } from './routing-rule.entity.js';
import { RoutingRulesRevisions } from './routing-rules.revisions.js';
import { RoutingRulesService } from './routing-rules.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([RoutingRule]), UsersModule, ServersModule, GroupsModule, KeysModule],
  providers: [RoutingRulesService, RoutingRulesResolver, RoutingRulesRevisions],
  exports: [RoutingRulesService],
})
export class RoutingRulesModule {}
