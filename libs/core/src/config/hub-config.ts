import { CronExpressionParser } from 'cron-parser';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { signInConfigFrom, signInEnvSchema, type SignInConfig } from './sign-in-config.js';
import { ALERT_DELIVERY_RETRY } from '../jobs/job-names.js';
import { teamMappingSchema, type ExternalTeamMapping } from './team-mapping-config.js';

/** Typed, validated configuration. Loaded once at boot; every other module reads it through HUB_CONFIG. */
export interface HubConfig {
  env: 'development' | 'production' | 'test';
  /** allowedHosts: Host header values served on MCP endpoints besides PUBLIC_URL's host and loopback names. */
  http: { port: number; host: string; publicUrl: string; allowedOrigins: string[]; allowedHosts: string[]; trustedProxies: string[] };
  dataDir: string;
  /** The built dashboard (index.html + assets) served at `/`. */
  dashboardDir: string;
  /** Absent = embedded PGlite under dataDir. */
  databaseUrl?: string;
  /** Connections to DATABASE_URL (embedded mode always uses one). */
  databasePoolSize: number;
  /** Absent = in-process jobs and in-memory counters. */
  redisUrl?: string;
  /**
   * How the call path treats Redis: every command bounded by commandTimeoutMs; when Redis cannot answer, quotas
   * `allow` (with a per-hub in-memory limit) or `deny`.
   */
  redis: { commandTimeoutMs: number; quotaOnFailure: 'allow' | 'deny' };
  /**
   * Secret: AES-256 master key (32 bytes), which wraps the data keys; previous master keys still unwrap (and open
   * what they sealed directly). rotation: re-seal batch size, pause between batches, and how long a new data key is
   * announced before it seals (so every hub knows it first).
   */
  encryption: { key: Buffer; previousKeys: Buffer[]; rotation: { batchSize: number; batchDelayMs: number; activationDelayMs: number } };
  /** Secret: HMAC key for access tokens. */
  jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number };
  bootstrapAdmin: { email: string; password?: string };
  /** passwordHashCost: log2 of scrypt's N for new password hashes (each hash carries its own, so old ones still verify). */
  login: { maxFailures: number; windowSeconds: number; passwordHashCost: number };
  gateway: {
    requestTimeoutMs: number;
    connectTimeoutMs: number;
    sessionIdleSeconds: number;
    /** Largest JSON-RPC message accepted from an upstream (stdio line, HTTP body, SSE event) or an agent. */
    maxMessageBytes: number;
    /** Open agent sessions per API key on this hub. */
    maxSessionsPerKey: number;
    /**
     * How long a hub serves an API key from memory before reading it again (API_KEY_CACHE_SECONDS): the bound on a
     * revocation this hub did not hear of. Heard changes apply at once.
     */
    apiKeyCacheSeconds: number;
    /** A PER_USER server's connection for one person is closed after this long without calls (UPSTREAM_IDLE_SECONDS). */
    upstreamIdleSeconds: number;
    /** Per-user connections per server replica on this hub at most (UPSTREAM_MAX_PER_SERVER). */
    maxUpstreamsPerServer: number;
  };
  /** Outbound destinations admins allow for every server owner: host names, IPs or CIDRs (UPSTREAM_ALLOWED_HOSTS). */
  egress: { allowedHosts: string[] };
  /** Limits on GraphQL operations, checked before execution. */
  graphql: { maxDepth: number; maxAliases: number; maxCost: number };
  /** How often buffered usage is written (embedded mode) or moved from Redis to PostgreSQL (Redis mode), and keys' last use written. */
  usage: { flushIntervalMs: number };
  /** Sign-in with GitHub and Azure AD; a provider is absent when its client id is not set. */
  signIn: SignInConfig;
  /** Notification channels (libs/alerts): delivery retries and when quota and upstream-failure events fire. */
  alerts: {
    /** Attempts per delivery; the first retry waits backoffMs, each further one twice as long. */
    delivery: { attempts: number; backoffMs: number; timeoutMs: number };
    /** A key's usage in a window reaching this share of its limit sends KEY_QUOTA_NEAR (100 % sends KEY_QUOTA_EXCEEDED). */
    quotaNearPercent: number;
    /** UPSTREAM_FAILURES fires when a server has `count` transport failures within `windowSeconds` (per hub process). */
    upstreamFailures: { count: number; windowSeconds: number };
  };
  /** Audit entries older than retentionDays are deleted by a scheduled job; 0 keeps them forever. */
  audit: { retentionDays: number };
  /**
   * Prometheus /metrics. token (secret): when set, scrapes need `Authorization: Bearer <token>`; when absent, only
   * loopback clients are answered. workerPort: the worker serves its metrics there (it has no HTTP otherwise).
   * maxToolLabels: distinct tool label values before further tools count as "other" (names come from upstreams).
   */
  metrics: { enabled: boolean; token?: string; workerPort?: number; maxToolLabels: number };
  /** OpenTelemetry traces of agent calls; off unless an OTLP endpoint is set. headers (secret) go to the collector. */
  tracing: { tracesUrl?: string; serviceName: string; headers: Record<string, string> };
  /** Azure AD group → team memberships, applied at each Azure AD sign-in (AZURE_AD_TEAM_MAPPING). */
  teams: { azureAdMapping: ExternalTeamMapping[] };
  /** Agent call log: entries older than retentionDays are deleted by a scheduled job. */
  callLog: { retentionDays: number };
  /**
   * Backups (libs/backup): archives live in dir (shared by hub and worker). schedule: a cron expression for
   * recurring whole-hub backups, sealed with passphrase (secret). retention: scheduled archives kept. kdfCost: log2 of
   * scrypt's N for new archives (each archive carries its own, so restores do not depend on it).
   */
  backup: { dir: string; schedule?: string; retention: number; passphrase?: string; kdfCost: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const HUB_CONFIG = Symbol('HUB_CONFIG');

export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

const key32 = z
  .string()
  .transform((value, ctx) => {
    const buf = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (buf.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex characters or base64' });
      return z.NEVER;
    }
    return buf;
  });

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL with scheme ${protocols.join(' or ')}`);

const duration = z
  .string()
  .regex(/^\d+[smhd]$/, 'must be a duration like 15m, 12h or 7d')
  .transform((v) => Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86400 }[v.slice(-1) as 's']);

/** Five or six fields (seconds first), as BullMQ's scheduler and cron-parser read them. */
const cron = z.string().refine((value) => {
  try {
    CronExpressionParser.parse(value);
    return value.trim().split(/\s+/).length >= 5;
  } catch {
    return false;
  }
}, 'must be a cron expression like "0 3 * * *" (every day at 03:00 UTC)');

const flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2`, values URL-encoded (the OpenTelemetry convention). */
const otlpHeaders = z.string().transform((value, ctx) => {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    let decoded: string | undefined;
    try {
      decoded = at > 0 ? decodeURIComponent(pair.slice(at + 1).trim()) : undefined;
    } catch {
      decoded = undefined;
    }
    if (decoded === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be key=value pairs separated by commas, values URL-encoded' });
      return z.NEVER;
    }
    headers[pair.slice(0, at).trim()] = decoded;
  }
  return headers;
});

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * TRUST_PROXY: the proxies whose X-Forwarded-For the hub believes (Express's `trust proxy`): the client address the
 * sign-in throttle, sessions and the audit log record. Names (loopback, linklocal, uniquelocal), IPs and CIDRs only:
 * trusting everyone (or a hop count) would let any client choose the address it is throttled by.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustedProxies = z.string().transform((value, ctx) => {
  const entries = list(value);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const version = isIP(address);
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (PROXY_NAMES.has(entry) || (version && prefixOk && extra === undefined)) continue;
    ctx.addIssue({ code: 'custom', message: `"${entry}" is not loopback, linklocal, uniquelocal, an IP address or a CIDR` });
    return z.NEVER;
  }
  if (!entries.length) ctx.addIssue({ code: 'custom', message: 'must name at least one proxy (the default is loopback)' });
  return entries;
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DASHBOARD_DIR: z.string().min(1).default('./dist/dashboard'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  HUB_ENCRYPTION_KEY: key32.optional(),
  HUB_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  KEY_ROTATION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
  KEY_ROTATION_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  KEY_ROTATION_ACTIVATION_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ACCESS_TTL: duration.default(900),
  JWT_REFRESH_TTL: duration.default(7 * 86400),
  ADMIN_EMAIL: z.email('must be an email address').default('admin@localhost.local'),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  // 15 (32 MiB); may only be raised, except under NODE_ENV=test (checked below), whose specs sign in hundreds of times.
  PASSWORD_HASH_COST: z.coerce.number().int('must be a whole number (log2 of scrypt N)').min(10, 'must be at least 10').max(20, 'must be at most 20').default(15),
  UPSTREAM_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  MCP_SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).default(3600),
  MCP_MAX_SESSIONS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(100),
  UPSTREAM_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  UPSTREAM_MAX_PER_SERVER: z.coerce.number().int().min(1).max(10_000).default(100),
  UPSTREAM_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
  UPSTREAM_ALLOWED_HOSTS: z.string().optional(),
  ALLOWED_HOSTS: z.string().optional(),
  TRUST_PROXY: trustedProxies.default(['loopback']),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  QUOTA_ON_REDIS_FAILURE: z.enum(['allow', 'deny']).default('allow'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(10_000).default(30),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
  USAGE_FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  ALERT_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(ALERT_DELIVERY_RETRY.attempts),
  ALERT_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(ALERT_DELIVERY_RETRY.backoffMs),
  ALERT_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  ALERT_QUOTA_NEAR_PERCENT: z.coerce.number().int().min(1).max(99).default(80),
  ALERT_UPSTREAM_FAILURES: z.coerce.number().int().min(1).max(10_000).default(5),
  ALERT_UPSTREAM_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  AUDIT_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(0, 'must be 0 (keep forever) or more').max(36_500).default(365),
  METRICS_ENABLED: flag.default(true),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_MAX_TOOL_LABELS: z.coerce.number().int().min(1).max(10_000).default(200),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('mcp-hub'),
  AZURE_AD_TEAM_MAPPING: teamMappingSchema,
  CALL_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_SCHEDULE: cron.optional(),
  BACKUP_RETENTION: z.coerce.number().int('must be a whole number of archives').min(1, 'must be at least 1').max(10_000).default(7),
  BACKUP_PASSPHRASE: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  // 17 (128 MiB, ~0.5 s per derivation); 14 is the least a restore accepts. Specs lower it: they derive dozens of keys.
  BACKUP_KDF_COST: z.coerce.number().int('must be a whole number (log2 of scrypt N)').min(14, 'must be at least 14').max(20, 'must be at most 20').default(17),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The signal-specific variable is used as is; the generic one gets `/v1/traces` appended (OTLP/HTTP convention). */
function tracesUrl(specific?: string, base?: string): string | undefined {
  if (specific) return specific;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

export type HubEnv = Record<string, string | undefined>;

/** Every variable parseConfig reads: deployment files are checked against it (a misspelt one would be ignored). */
export const HUB_ENV_VARIABLES: readonly string[] = [...Object.keys(envSchema.shape), ...Object.keys(signInEnvSchema.shape)];

/** Secrets that embedded mode may generate and persist; production mode must be given them. */
export interface GeneratedSecrets {
  encryptionKey: Buffer;
  jwtSecret: string;
}

/**
 * Validates the environment. Throws ConfigError naming the first bad variable.
 * `embeddedSecrets` supplies the key and JWT secret when neither is set and the hub runs without DATABASE_URL.
 */
export function parseConfig(env: HubEnv, embeddedSecrets?: () => GeneratedSecrets): HubConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  const signIn = signInEnvSchema.safeParse(blankless);
  if (!signIn.success) {
    const issue = signIn.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  if (e.PASSWORD_HASH_COST < 15 && e.NODE_ENV !== 'test') throw new ConfigError('PASSWORD_HASH_COST', 'must be at least 15 (below that only with NODE_ENV=test)');
  if (e.BACKUP_SCHEDULE && !e.BACKUP_PASSPHRASE) throw new ConfigError('BACKUP_PASSPHRASE', 'is required when BACKUP_SCHEDULE is set');
  let key: Buffer | undefined = e.HUB_ENCRYPTION_KEY;
  let jwtSecret = e.JWT_SECRET;
  if (!key || !jwtSecret) {
    if (e.DATABASE_URL || !embeddedSecrets) {
      throw new ConfigError(key ? 'JWT_SECRET' : 'HUB_ENCRYPTION_KEY', 'is required when DATABASE_URL is set');
    }
    const generated = embeddedSecrets();
    key ??= generated.encryptionKey;
    jwtSecret ??= generated.jwtSecret;
  }
  const previousKeys = (e.HUB_ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const r = key32.safeParse(s);
      if (!r.success) throw new ConfigError('HUB_ENCRYPTION_PREVIOUS_KEYS', r.error.issues[0].message);
      return r.data;
    });
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl,
      allowedOrigins: e.ALLOWED_ORIGINS ? list(e.ALLOWED_ORIGINS) : [new URL(publicUrl).origin],
      allowedHosts: list(e.ALLOWED_HOSTS ?? '').map((h) => h.toLowerCase()),
      trustedProxies: e.TRUST_PROXY,
    },
    dataDir: e.DATA_DIR,
    dashboardDir: e.DASHBOARD_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_URL ? e.DATABASE_POOL_SIZE : 1,
    redisUrl: e.REDIS_URL,
    redis: { commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS, quotaOnFailure: e.QUOTA_ON_REDIS_FAILURE },
    encryption: {
      key: key!,
      previousKeys,
      rotation: {
        batchSize: e.KEY_ROTATION_BATCH_SIZE,
        batchDelayMs: e.KEY_ROTATION_BATCH_DELAY_MS,
        // Other hubs learn a new key by pub/sub, or by their periodic keyring refresh (15 s) if they missed it.
        activationDelayMs: e.KEY_ROTATION_ACTIVATION_DELAY_MS ?? (e.REDIS_URL ? 20_000 : 0),
      },
    },
    jwt: { secret: jwtSecret, accessTtlSeconds: e.JWT_ACCESS_TTL, refreshTtlSeconds: e.JWT_REFRESH_TTL },
    bootstrapAdmin: { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowSeconds: e.LOGIN_WINDOW_SECONDS, passwordHashCost: e.PASSWORD_HASH_COST },
    gateway: {
      requestTimeoutMs: e.UPSTREAM_REQUEST_TIMEOUT_MS,
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      sessionIdleSeconds: e.MCP_SESSION_IDLE_SECONDS,
      maxMessageBytes: e.UPSTREAM_MAX_MESSAGE_BYTES,
      maxSessionsPerKey: e.MCP_MAX_SESSIONS_PER_KEY,
      apiKeyCacheSeconds: e.API_KEY_CACHE_SECONDS,
      upstreamIdleSeconds: e.UPSTREAM_IDLE_SECONDS,
      maxUpstreamsPerServer: e.UPSTREAM_MAX_PER_SERVER,
    },
    egress: { allowedHosts: list(e.UPSTREAM_ALLOWED_HOSTS ?? '') },
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxCost: e.GRAPHQL_MAX_COST },
    usage: { flushIntervalMs: e.USAGE_FLUSH_INTERVAL_MS },
    signIn: signInConfigFrom(signIn.data),
    alerts: {
      delivery: { attempts: e.ALERT_DELIVERY_ATTEMPTS, backoffMs: e.ALERT_DELIVERY_BACKOFF_MS, timeoutMs: e.ALERT_DELIVERY_TIMEOUT_MS },
      quotaNearPercent: e.ALERT_QUOTA_NEAR_PERCENT,
      upstreamFailures: { count: e.ALERT_UPSTREAM_FAILURES, windowSeconds: e.ALERT_UPSTREAM_FAILURE_WINDOW_SECONDS },
    },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN, workerPort: e.WORKER_METRICS_PORT, maxToolLabels: e.METRICS_MAX_TOOL_LABELS },
    tracing: { tracesUrl: tracesUrl(e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, e.OTEL_EXPORTER_OTLP_ENDPOINT), serviceName: e.OTEL_SERVICE_NAME, headers: e.OTEL_EXPORTER_OTLP_HEADERS ?? {} },
    teams: { azureAdMapping: e.AZURE_AD_TEAM_MAPPING },
    callLog: { retentionDays: e.CALL_LOG_RETENTION_DAYS },
    backup: { dir: e.BACKUP_DIR ?? join(e.DATA_DIR, 'backups'), schedule: e.BACKUP_SCHEDULE, retention: e.BACKUP_RETENTION, passphrase: e.BACKUP_PASSPHRASE, kdfCost: e.BACKUP_KDF_COST },
    logLevel: e.LOG_LEVEL,
  };
}
