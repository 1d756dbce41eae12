/** Every queue and job of the hub. A job has exactly one handler; JobsModule checks this at boot. */
export enum QueueName {
  SYSTEM = 'system',
  HEALTH = 'health',
  USAGE = 'usage',
  USERS = 'users',
  ALERTS = 'alerts',
  AUDIT = 'audit',
  CALL_LOG = 'call-log',
  ENCRYPTION = 'encryption',
  BACKUP = 'backup',
  MARKETPLACE = 'marketplace',
}

export enum JobName {
  WORKER_HEARTBEAT = 'worker-heartbeat',
  HEALTH_CHECK = 'health-check',
  /** Moves usage counted in Redis into usage_hourly (Redis mode; a no-op in embedded mode). */
  USAGE_MOVE = 'usage-move',
  /** Deletes expired sign-in sessions and long-revoked ones. */
  SIGN_IN_SESSION_PURGE = 'sign-in-session-purge',
  /** Sends one notification (one row of notification_deliveries) to one channel. */
  ALERT_DELIVER = 'alert-deliver',
  /** Deletes audit entries older than AUDIT_RETENTION_DAYS, in bounded batches. */
  AUDIT_RETENTION = 'audit-retention',
  /** Deletes call-log entries older than CALL_LOG_RETENTION_DAYS, and expired capture switches. */
  CALL_LOG_RETENTION = 'call-log-retention',
  /** Activates a rotation's new data key and re-seals every registered ciphertext under it (resumable). */
  KEY_ROTATION = 'key-rotation',
  /** Writes a whole-hub backup sealed with BACKUP_PASSPHRASE (BACKUP_SCHEDULE), then applies BACKUP_RETENTION. */
  BACKUP_RUN = 'backup-run',
  /** Checks one archive's checksums and that BACKUP_PASSPHRASE opens it; records the outcome on the backup. */
  BACKUP_VERIFY = 'backup-verify',
  /** Downloads the npm package of a stdio server installed from the catalog into the npx cache. */
  PACKAGE_PREFETCH = 'package-prefetch',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.WORKER_HEARTBEAT]: QueueName.SYSTEM,
  [JobName.HEALTH_CHECK]: QueueName.HEALTH,
  [JobName.USAGE_MOVE]: QueueName.USAGE,
  [JobName.SIGN_IN_SESSION_PURGE]: QueueName.USERS,
  [JobName.ALERT_DELIVER]: QueueName.ALERTS,
  [JobName.AUDIT_RETENTION]: QueueName.AUDIT,
  [JobName.CALL_LOG_RETENTION]: QueueName.CALL_LOG,
  [JobName.KEY_ROTATION]: QueueName.ENCRYPTION,
  [JobName.BACKUP_RUN]: QueueName.BACKUP,
  [JobName.BACKUP_VERIFY]: QueueName.BACKUP,
  [JobName.PACKAGE_PREFETCH]: QueueName.MARKETPLACE,
};

/** How often a job runs at most, and the delay before the first retry (doubled before each further one). */
export interface JobRetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const JOB_RETRY: JobRetryPolicy = { attempts: 3, backoffMs: 1_000 };
/**
 * A webhook receiver may be down for minutes: 5 attempts, 10 s, 20 s, 40 s, 80 s apart (about 2.5 min in all).
 * ALERT_DELIVERY_ATTEMPTS and ALERT_DELIVERY_BACKOFF_MS override it.
 */
export const ALERT_DELIVERY_RETRY: JobRetryPolicy = { attempts: 5, backoffMs: 10_000 };
/** A rotation interrupted by a shutdown or an outage carries on where it stopped: many, slowly spaced attempts. */
export const KEY_ROTATION_RETRY: JobRetryPolicy = { attempts: 10, backoffMs: 2_000 };
export const JOB_RETENTION = { completed: 1_000, failed: 5_000 } as const;
