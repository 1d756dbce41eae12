/** Every queue and job of the hub. A job has exactly one handler; JobsModule checks this at boot. */
export enum QueueName {
  SYSTEM = 'system',
  HEALTH = 'health',
  USAGE = 'usage',
  CALL_LOG = 'call-log',
}

export enum JobName {
  WORKER_HEARTBEAT = 'worker-heartbeat',
  HEALTH_CHECK = 'health-check',
  /** Moves usage counted in Redis into usage_hourly (Redis mode; a no-op in embedded mode). */
  USAGE_MOVE = 'usage-move',
  /** Deletes call-log entries older than CALL_LOG_RETENTION_DAYS, and expired capture switches. */
  CALL_LOG_RETENTION = 'call-log-retention',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WORKER_HEARTBEAT]: QueueName.SYSTEM,
  [JobName.HEALTH_CHECK]: QueueName.HEALTH,
  [JobName.USAGE_MOVE]: QueueName.USAGE,
  [JobName.CALL_LOG_RETENTION]: QueueName.CALL_LOG,
};

export const JOB_RETRY = { attempts: 3, backoffMs: 1_000 } as const;
export const JOB_RETENTION = { completed: 1_000, failed: 5_000 } as const;
