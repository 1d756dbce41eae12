// DataSource for the TypeORM CLI (npm run migration:generate|run|revert). Same options as the hub uses.
// Embedded mode (no DATABASE_URL) opens DATA_DIR's PGlite: stop the hub first, PGlite allows one process.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig, startEmbeddedPostgres } from '#core';
import { ResourceShare, Team, TeamMember, User } from '#users';
import { ApiKey, UsageBatch, UsageBucket } from '#keys';
import { McpServer, ReplicaHealthCheck, ServerReplica } from '#servers';
import { Group, GroupRevision, GroupServer } from '#groups';
import { RoutingRule } from '#routing-rules';

export const ENTITIES = [User, Team, TeamMember, ResourceShare, ApiKey, UsageBucket, UsageBatch, McpServer, ServerReplica, ReplicaHealthCheck, Group, GroupServer, GroupRevision, RoutingRule];

const { config } = loadConfig();
const url = config.databaseUrl ?? (await startEmbeddedPostgres(config.dataDir)).url;

export default new DataSource({ ...dataSourceOptions(url, config.databasePoolSize), entities: ENTITIES });
