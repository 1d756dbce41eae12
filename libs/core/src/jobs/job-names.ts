/** Every queue and job of the hub. A job has exactly one handler; JobsModule checks this at boot. */
export enum QueueName {
  SYSTEM = 'system',
  HEALTH = 'health',
}

export enum JobName {
  WORKER_HEARTBEAT = 'worker-heartbeat',
  HEALTH_CHECK = 'health-check',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WORKER_HEARTBEAT]: QueueName.SYSTEM,
  [JobName.HEALTH_CHECK]: QueueName.HEALTH,
};

export const JOB_RETRY = { attempts: 3, backoffMs: 1_000 } as const;
export const JOB_RETENTION = { completed: 1_000, failed: 5_000 } as const;
