/** Every queue and job of the hub. A job has exactly one handler; JobsModule checks this at boot. */
export enum QueueName {
  SYSTEM = 'system',
  HEALTH = 'health',
  USAGE = 'usage',
  AUDIT = 'audit',
}

export enum JobName {
  WORKER_HEARTBEAT = 'worker-heartbeat',
  HEALTH_CHECK = 'health-check',
  /** Moves usage counted in Redis into usage_hourly (Redis mode; a no-op in embedded mode). */
  USAGE_MOVE = 'usage-move',
  /** Deletes audit entries older than AUDIT_RETENTION_DAYS, in bounded batches. */
  AUDIT_RETENTION = 'audit-retention',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WORKER_HEARTBEAT]: QueueName.SYSTEM,
  [JobName.HEALTH_CHECK]: QueueName.HEALTH,
  [JobName.USAGE_MOVE]: QueueName.USAGE,
  [JobName.AUDIT_RETENTION]: QueueName.AUDIT,
};

export const JOB_RETRY = { attempts: 3, backoffMs: 1_000 } as const;
export const JOB_RETENTION = { completed: 1_000, failed: 5_000 } as const;
