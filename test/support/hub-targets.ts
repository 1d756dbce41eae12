import { databaseTargets, redisUrl, type DatabaseTarget } from './database-targets.js';

/**
 * The deployments e2e specs boot the hub in: embedded (PGlite, in-process jobs, in-memory counters) always, and
 * production-like (real PostgreSQL + Redis) when TEST_DATABASE_URL and TEST_REDIS_URL are both set (.ci/run sets them).
 * Use with describe.each and boot the hub once per target per file.
 */
export interface HubTarget {
  name: 'pglite' | 'postgres+redis';
  database: DatabaseTarget;
  /** Extra environment for startHub. */
  env: Record<string, string>;
  /** Jobs (health checks) run inside the hub; with Redis they belong to the separate worker process. */
  inProcessJobs: boolean;
}

const postgres = databaseTargets.find((t) => t.name === 'postgres');

export const hubTargets: HubTarget[] = [
  { name: 'pglite', database: databaseTargets[0], env: {}, inProcessJobs: true },
  ...(postgres && redisUrl ? [{ name: 'postgres+redis' as const, database: postgres, env: { REDIS_URL: redisUrl }, inProcessJobs: false }] : []),
];

/** [name, target] rows for describe.each. */
export const hubTargetRows = hubTargets.map((t) => [t.name, t] as const);

/**
 * [name, target] rows for a spec whose subject does not depend on the deployment (the protocol, the access policy,
 * what the audit log records): one target, `preferred` when this run has it, so the suite stays fast. Subjects that
 * do depend on it (Redis counters and pub/sub, BullMQ against in-process jobs, PGlite's single connection) use
 * hubTargetRows. TEST_ALL_TARGETS=1 runs these on every target too.
 */
export function oneHubTargetRows(preferred: HubTarget['name']) {
  if (process.env.TEST_ALL_TARGETS === '1') return hubTargetRows;
  const target = hubTargets.find((t) => t.name === preferred) ?? hubTargets[0];
  return [[target.name, target] as const];
}
