import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  EventsModule,
  JobsModule,
  LoggingModule,
  RedisModule,
  SystemJobsModule,
  SystemProcessorsModule,
  PINO,
  formatGraphQLError,
  type HubConfig,
  type Logger,
} from '#core';
import { AccessGuard, BootstrapAdminModule, UsersModule } from '#users';
import { CallLogModule, CallLogProcessorsModule, KeysModule, UsageProcessorsModule } from '#keys';
import { EgressResolverModule, ServerHealthApiModule, ServerHealthProcessorsModule, ServersModule, type EgressResolver } from '#servers';
import { GroupsModule } from '#groups';
import { RoutingRulesModule } from '#routing-rules';
import { LiveProbeModule, McpGatewayModule } from '#mcp-gateway';
import { HealthController } from './health/health.controller.js';
import { graphqlErrorLog } from './graphql/graphql-error-log.js';
import { graphqlLimitRules, graphqlParseOptions, graphqlWsLimits } from './graphql/graphql-limits.js';

export interface HubModuleOptions {
  /** Embedded mode only: keep the database in memory instead of DATA_DIR (tests). */
  inMemoryDatabase?: boolean;
  /** Where to write the SDL; false keeps it in memory (production images have a read-only tree). */
  schemaFile?: string | false;
  /** Resolves upstream host names instead of the system resolver (tests point made-up names at loopback). */
  egressResolver?: EgressResolver;
}

@Module({})
export class HubModule {
  static forRoot(config: HubConfig, options: HubModuleOptions = {}): DynamicModule {
    const embeddedJobs = !config.redisUrl;
    return {
      module: HubModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        LoggingModule,
        CryptoModule,
        RedisModule,
        EventsModule,
        DatabaseModule.forRoot({ runMigrations: true, inMemory: options.inMemoryDatabase }),
        // Without Redis there is no separate worker: this process runs the processors itself.
        JobsModule.forRoot(config, { processes: embeddedJobs }),
        SystemJobsModule,
        ...(options.egressResolver ? [EgressResolverModule.forRoot(options.egressResolver)] : []),
        ...(embeddedJobs ? [SystemProcessorsModule, ServerHealthProcessorsModule, UsageProcessorsModule, CallLogProcessorsModule] : []),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [PINO],
          useFactory: (logger: Logger) => {
          const limitRules = graphqlLimitRules(config.graphql);
          const errorLog = graphqlErrorLog(logger);
          return {
          path: '/graphql',
          autoSchemaFile: options.schemaFile === false ? true : (options.schemaFile ?? join(process.cwd(), 'schema.gql')),
          sortSchema: true,
          playground: false,
          introspection: true,
          // graphql-ws (subscriptions): the access token travels in connectionParams.authorization.
          // Nest's type names only some graphql-ws options but hands all of them on: the same limits for subscriptions.
          subscriptions: { 'graphql-ws': graphqlWsLimits(limitRules) as GraphQLWsSubscriptionsConfig },
          validationRules: limitRules,
          parseOptions: graphqlParseOptions,
          context: ({ req, connectionParams }: { req?: unknown; connectionParams?: { authorization?: string } }) => ({
            req: req ?? { headers: { authorization: connectionParams?.authorization } },
          }),
          formatError: (formatted, error) => formatGraphQLError(formatted, error, errorLog),
          };
          },
        }),
        UsersModule,
        BootstrapAdminModule,
        KeysModule,
        CallLogModule,
        ServersModule,
        GroupsModule,
        RoutingRulesModule,
        McpGatewayModule,
        LiveProbeModule,
        ServerHealthApiModule,
      ],
      controllers: [HealthController],
      // Deny by default: every GraphQL operation and HTTP route passes this guard and must declare its access.
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
