// DataSource for the TypeORM CLI (npm run migration:generate|run|revert). Same options as the hub uses.
// Embedded mode (no DATABASE_URL) opens DATA_DIR's PGlite: stop the hub first, PGlite allows one process.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig, startEmbeddedPostgres } from '#core';
import { ResourceShare, SignInSession, Team, TeamMember, User } from '#users';
import { SignInCode, SignInFlow, UserIdentity } from '#sign-in';
import { ApiKey, UsageBatch, UsageBucket } from '#keys';
import { McpServer, ReplicaHealthCheck, ServerEndpoint, ToolPin } from '#servers';
import { Group, GroupRevision, GroupServer } from '#groups';
import { RoutingRule } from '#routing-rules';
import { NotificationChannel, NotificationDelivery } from '#alerts';
import { AuditEntry } from '#auth';
import { CatalogEntry, ServerInstallation } from '#marketplace';
import { Credential } from '#credentials';
import { ServerOAuthSetting, UpstreamAuthorization, UpstreamAuthorizationRequest, UpstreamOAuthClient } from '#upstream-oauth';

export const ENTITIES = [User, SignInSession, UserIdentity, SignInFlow, SignInCode, Team, TeamMember, ResourceShare, ApiKey, UsageBucket, UsageBatch, McpServer, ServerEndpoint, ReplicaHealthCheck, ToolPin, Group, GroupServer, GroupRevision, RoutingRule, NotificationChannel, NotificationDelivery, AuditEntry, CatalogEntry, ServerInstallation, Credential, ServerOAuthSetting, UpstreamOAuthClient, UpstreamAuthorization, UpstreamAuthorizationRequest];

const { config } = loadConfig();
const url = config.databaseUrl ?? (await startEmbeddedPostgres(config.dataDir)).url;

export default new DataSource({ ...dataSourceOptions(url, config.databasePoolSize), entities: ENTITIES });
