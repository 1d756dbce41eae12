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
  KeyRotationProcessorsModule,
  KeyringModule,
  LoggingModule,
  MetricsModule,
  RedisModule,
  SystemJobsModule,
  SystemProcessorsModule,
  TracingModule,
  PINO,
  formatGraphQLError,
  type HubConfig,
  type Logger,
} from '#core';
import { AuditModule, AuditRetentionModule, MutationAuditor, auditMutations } from '#auth';
import { AccessGuard, BootstrapAdminModule, SessionPurgeProcessorsModule, UsersModule } from '#users';
import { SignInModule } from '#sign-in';
import { CallLogModule, CallLogProcessorsModule, KeysModule, UsageProcessorsModule } from '#keys';
import { EgressResolverModule, ServerHealthApiModule, ServerHealthProcessorsModule, ServersModule, type EgressResolver } from '#servers';
import { GroupsModule } from '#groups';
import { RoutingRulesModule } from '#routing-rules';
import { LiveProbeModule, McpGatewayModule } from '#mcp-gateway';
import { AlertsApiModule, AlertsModule, AlertsProcessorsModule } from '#alerts';
import { MarketplaceModule, MarketplaceProcessorsModule } from '#marketplace';
import { BackupModule, BackupProcessorsModule } from '#backup';
import { CredentialsApiModule } from '#credentials';
import { UpstreamOAuthApiModule } from '#upstream-oauth';
import { EncryptionModule } from '#encryption';
import { CloseAgentStreamsFirst } from './close-agent-streams-first.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { graphqlErrorLog } from './graphql/graphql-error-log.js';
import { graphqlLimitRules, graphqlParseOptions, graphqlWsLimits } from './graphql/graphql-limits.js';
import { graphqlWsResults } from './graphql/graphql-ws-results.js';

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
        MetricsModule,
        TracingModule.forRoot(config),
        CryptoModule,
        RedisModule,
        EventsModule,
        DatabaseModule.forRoot({ runMigrations: true, inMemory: options.inMemoryDatabase }),
        // Data keys are in SecretBox before anything seals or opens a secret.
        KeyringModule,
        // Without Redis there is no separate worker: this process runs the processors itself.
        JobsModule.forRoot(config, { processes: embeddedJobs }),
        SystemJobsModule,
        ...(options.egressResolver ? [EgressResolverModule.forRoot(options.egressResolver)] : []),
        ...(embeddedJobs ? [SystemProcessorsModule, ServerHealthProcessorsModule, UsageProcessorsModule, SessionPurgeProcessorsModule, AlertsProcessorsModule, AuditRetentionModule, CallLogProcessorsModule, KeyRotationProcessorsModule, BackupProcessorsModule, MarketplaceProcessorsModule] : []),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuditModule],
          inject: [PINO, MutationAuditor],
          useFactory: (logger: Logger, auditor: MutationAuditor) => {
          const limitRules = graphqlLimitRules(config.graphql);
          const errorLog = graphqlErrorLog(logger);
          return {
          path: '/graphql',
          autoSchemaFile: options.schemaFile === false ? true : (options.schemaFile ?? join(process.cwd(), 'schema.gql')),
          sortSchema: true,
          // Nest would run an introspection query over the built schema at every boot to check it (~0.2 s of CPU);
          // Apollo asserts the same schema valid as it starts, so a broken one still stops the boot.
          buildSchemaOptions: { skipCheck: true },
          playground: false,
          introspection: true,
          // graphql-ws (subscriptions): the access token travels in connectionParams.authorization.
          // Nest's type names only some graphql-ws options but hands all of them on: the same limits and error mapping
          // for subscriptions.
          subscriptions: { 'graphql-ws': { ...graphqlWsLimits(limitRules), ...graphqlWsResults(errorLog) } as GraphQLWsSubscriptionsConfig },
          validationRules: limitRules,
          parseOptions: graphqlParseOptions,
          context: ({ req, connectionParams }: { req?: unknown; connectionParams?: { authorization?: string } }) => ({
            req: req ?? { headers: { authorization: connectionParams?.authorization } },
          }),
          formatError: (formatted, error) => formatGraphQLError(formatted, error, errorLog),
          // Every mutation, from any module, is an audited operation (see MutationAuditor).
          transformSchema: (schema) => auditMutations(schema, auditor),
          };
          },
        }),
        AuditModule,
        UsersModule,
        BootstrapAdminModule,
        SignInModule,
        KeysModule,
        CallLogModule,
        ServersModule,
        GroupsModule,
        RoutingRulesModule,
        McpGatewayModule,
        LiveProbeModule,
        ServerHealthApiModule,
        AlertsModule,
        AlertsApiModule,
        MarketplaceModule,
        BackupModule,
        CredentialsApiModule,
        UpstreamOAuthApiModule,
        EncryptionModule,
      ],
      controllers: [HealthController, MetricsController],
      // Deny by default: every GraphQL operation and HTTP route passes this guard and must declare its access.
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }, CloseAgentStreamsFirst],
    };
  }
}
