import { z } from 'zod';

/** Typed, validated configuration. Loaded once at boot; every other module reads it through HUB_CONFIG. */
export interface HubConfig {
  env: 'development' | 'production' | 'test';
  /** allowedHosts: Host header values served on MCP endpoints besides PUBLIC_URL's host and loopback names. */
  http: { port: number; host: string; publicUrl: string; allowedOrigins: string[]; allowedHosts: string[] };
  dataDir: string;
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
  /** Secret: AES-256 master key (32 bytes). Previous keys are kept to decrypt old ciphertexts. */
  encryption: { key: Buffer; previousKeys: Buffer[] };
  /** Secret: HMAC key for access tokens. */
  jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number };
  bootstrapAdmin: { email: string; password?: string };
  login: { maxFailures: number; windowSeconds: number };
  gateway: {
    requestTimeoutMs: number;
    connectTimeoutMs: number;
    sessionIdleSeconds: number;
    /** Largest JSON-RPC message accepted from an upstream (stdio line, HTTP body, SSE event) or an agent. */
    maxMessageBytes: number;
    /** Open agent sessions per API key on this hub. */
    maxSessionsPerKey: number;
  };
  /** Outbound destinations admins allow for every server owner: host names, IPs or CIDRs (UPSTREAM_ALLOWED_HOSTS). */
  egress: { allowedHosts: string[] };
  /** Limits on GraphQL operations, checked before execution. */
  graphql: { maxDepth: number; maxAliases: number; maxCost: number };
  /** How often buffered usage is written (embedded mode) or moved from Redis to PostgreSQL (Redis mode). */
  usage: { flushIntervalMs: number };
  /** Agent call log: entries older than retentionDays are deleted by a scheduled job. */
  callLog: { retentionDays: number };
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

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  HUB_ENCRYPTION_KEY: key32.optional(),
  HUB_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ACCESS_TTL: duration.default(900),
  JWT_REFRESH_TTL: duration.default(7 * 86400),
  ADMIN_EMAIL: z.email('must be an email address').default('admin@localhost.local'),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  UPSTREAM_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  MCP_SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).default(3600),
  MCP_MAX_SESSIONS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(100),
  UPSTREAM_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
  UPSTREAM_ALLOWED_HOSTS: z.string().optional(),
  ALLOWED_HOSTS: z.string().optional(),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  QUOTA_ON_REDIS_FAILURE: z.enum(['allow', 'deny']).default('allow'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(10_000).default(30),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
  USAGE_FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  CALL_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export type HubEnv = Record<string, string | undefined>;

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
    },
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_URL ? e.DATABASE_POOL_SIZE : 1,
    redisUrl: e.REDIS_URL,
    redis: { commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS, quotaOnFailure: e.QUOTA_ON_REDIS_FAILURE },
    encryption: { key: key!, previousKeys },
    jwt: { secret: jwtSecret, accessTtlSeconds: e.JWT_ACCESS_TTL, refreshTtlSeconds: e.JWT_REFRESH_TTL },
    bootstrapAdmin: { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    gateway: {
      requestTimeoutMs: e.UPSTREAM_REQUEST_TIMEOUT_MS,
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      sessionIdleSeconds: e.MCP_SESSION_IDLE_SECONDS,
      maxMessageBytes: e.UPSTREAM_MAX_MESSAGE_BYTES,
      maxSessionsPerKey: e.MCP_MAX_SESSIONS_PER_KEY,
    },
    egress: { allowedHosts: list(e.UPSTREAM_ALLOWED_HOSTS ?? '') },
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxCost: e.GRAPHQL_MAX_COST },
    usage: { flushIntervalMs: e.USAGE_FLUSH_INTERVAL_MS },
    callLog: { retentionDays: e.CALL_LOG_RETENTION_DAYS },
    logLevel: e.LOG_LEVEL,
  };
}
