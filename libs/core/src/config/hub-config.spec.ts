import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ConfigError, parseConfig } from './hub-config.js';

const secrets = { HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), JWT_SECRET: 'x'.repeat(40) };
const generated = () => ({ encryptionKey: randomBytes(32), jwtSecret: 'g'.repeat(40) });

describe(parseConfig.name, () => {
  it('should apply embedded defaults when nothing is set', () => {
    const config = parseConfig({}, generated);
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toBe('./.data');
    expect(config.jwt.secret).toBe('g'.repeat(40));
    expect(config.alerts).toEqual({
      delivery: { attempts: 5, backoffMs: 10_000, timeoutMs: 10_000 },
      quotaNearPercent: 80,
      upstreamFailures: { count: 5, windowSeconds: 60 },
    });
  });

  it('should trust X-Forwarded-For from loopback by default and from the proxies TRUST_PROXY names, refusing anything broader', () => {
    expect(parseConfig({}, generated).http.trustedProxies).toEqual(['loopback']);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.1' }, generated).http.trustedProxies).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['true', '*', '2', '10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', ' , ']) {
      expect(() => parseConfig({ TRUST_PROXY: bad }, generated)).toThrow(/TRUST_PROXY/);
    }
  });

  it('should default the audit retention to 365 days', () => {
    const config = parseConfig({}, generated);
    expect(config.audit.retentionDays).toBe(365);
  });

  it('should keep backups under DATA_DIR, unscheduled, 7 scheduled archives kept, by default', () => {
    expect(parseConfig({ DATA_DIR: '/var/lib/hub' }, generated).backup).toEqual({ dir: '/var/lib/hub/backups', schedule: undefined, retention: 7, passphrase: undefined, kdfCost: 17 });
  });

  it('should take a cron BACKUP_SCHEDULE only with a BACKUP_PASSPHRASE, and refuse a bad expression', () => {
    const config = parseConfig({ BACKUP_SCHEDULE: '0 3 * * *', BACKUP_PASSPHRASE: 'a passphrase of length', BACKUP_RETENTION: '14' }, generated);
    expect(config.backup).toMatchObject({ schedule: '0 3 * * *', retention: 14 });
    expect(() => parseConfig({ BACKUP_SCHEDULE: '0 3 * * *' }, generated)).toThrow('Invalid configuration: BACKUP_PASSPHRASE is required when BACKUP_SCHEDULE is set');
    expect(() => parseConfig({ BACKUP_SCHEDULE: 'every night', BACKUP_PASSPHRASE: 'a passphrase of length' }, generated)).toThrow(/BACKUP_SCHEDULE must be a cron expression/);
    expect(() => parseConfig({ BACKUP_PASSPHRASE: 'short' }, generated)).toThrow(/BACKUP_PASSPHRASE must be at least 12 characters/);
  });

  it('should refuse a PASSWORD_HASH_COST below the default 15 outside NODE_ENV=test', () => {
    expect(parseConfig({}, generated).login.passwordHashCost).toBe(15);
    expect(parseConfig({ PASSWORD_HASH_COST: '17' }, generated).login.passwordHashCost).toBe(17);
    expect(() => parseConfig({ PASSWORD_HASH_COST: '14' }, generated)).toThrow(/PASSWORD_HASH_COST must be at least 15 \(below that only with NODE_ENV=test\)/);
    expect(() => parseConfig({ NODE_ENV: 'production', PASSWORD_HASH_COST: '10' }, generated)).toThrow(/PASSWORD_HASH_COST must be at least 15/);
    expect(parseConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: '10' }, generated).login.passwordHashCost).toBe(10);
    expect(() => parseConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: '9' }, generated)).toThrow(/PASSWORD_HASH_COST must be at least 10/);
  });

  it('should take BACKUP_KDF_COST between 14 (the least a restore accepts) and 20', () => {
    expect(parseConfig({ BACKUP_KDF_COST: '14' }, generated).backup.kdfCost).toBe(14);
    expect(() => parseConfig({ BACKUP_KDF_COST: '13' }, generated)).toThrow(/BACKUP_KDF_COST must be at least 14/);
    expect(() => parseConfig({ BACKUP_KDF_COST: '21' }, generated)).toThrow(/BACKUP_KDF_COST must be at most 20/);
  });

  it('should keep audit entries forever with AUDIT_RETENTION_DAYS=0', () => {
    expect(parseConfig({ AUDIT_RETENTION_DAYS: '0' }, generated).audit.retentionDays).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ HUB_ENCRYPTION_KEY: 'short' }, 'HUB_ENCRYPTION_KEY'],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ JWT_ACCESS_TTL: '15 minutes' }, 'JWT_ACCESS_TTL'],
    [{ AUDIT_RETENTION_DAYS: '-1' }, 'AUDIT_RETENTION_DAYS'],
    [{ AUDIT_RETENTION_DAYS: '1.5' }, 'AUDIT_RETENTION_DAYS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ALERT_QUOTA_NEAR_PERCENT: '100' }, 'ALERT_QUOTA_NEAR_PERCENT'],
    [{ ALERT_DELIVERY_ATTEMPTS: '0' }, 'ALERT_DELIVERY_ATTEMPTS'],
    [{ ALERT_DELIVERY_TIMEOUT_MS: '120000' }, 'ALERT_DELIVERY_TIMEOUT_MS'],
    [{ AZURE_AD_TEAM_MAPPING: 'abc=Not A Slug' }, 'AZURE_AD_TEAM_MAPPING'],
    [{ AZURE_AD_TEAM_MAPPING: 'abc=platform:ADMIN' }, 'AZURE_AD_TEAM_MAPPING'],
    [{ AZURE_AD_TEAM_MAPPING: 'abc' }, 'AZURE_AD_TEAM_MAPPING'],
  ])('should name the variable when %j is invalid', (env, variable) => {
    expect(() => parseConfig({ ...secrets, ...env }, generated)).toThrow(ConfigError);
    expect(() => parseConfig({ ...secrets, ...env }, generated)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('should require the encryption key and JWT secret when DATABASE_URL is set', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://h/db' }, generated)).toThrow(/HUB_ENCRYPTION_KEY is required/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://h/db', HUB_ENCRYPTION_KEY: secrets.HUB_ENCRYPTION_KEY }, generated)).toThrow(/JWT_SECRET is required/);
  });

  it('should parse durations and previous keys for rotation', () => {
    const old = randomBytes(32).toString('base64');
    const config = parseConfig({ ...secrets, JWT_ACCESS_TTL: '10m', HUB_ENCRYPTION_PREVIOUS_KEYS: old });
    expect(config.jwt.accessTtlSeconds).toBe(600);
    expect(config.encryption.previousKeys).toHaveLength(1);
  });

  it('should parse the Azure AD group to team mapping, MEMBER by default', () => {
    const config = parseConfig({ ...secrets, AZURE_AD_TEAM_MAPPING: ' 0A1B-2C=platform , 3d4e=platform:owner,5f=data-team:MEMBER' });
    expect(config.teams.azureAdMapping).toEqual([
      { externalGroup: '0a1b-2c', teamSlug: 'platform', role: 'MEMBER' },
      { externalGroup: '3d4e', teamSlug: 'platform', role: 'OWNER' },
      { externalGroup: '5f', teamSlug: 'data-team', role: 'MEMBER' },
    ]);
    expect(parseConfig({ ...secrets }).teams.azureAdMapping).toEqual([]);
  });
});

describe('metrics and tracing configuration', () => {
  it('should enable metrics without a token by default and leave tracing off', () => {
    const config = parseConfig(secrets);
    expect(config.metrics).toEqual({ enabled: true, token: undefined, workerPort: undefined, maxToolLabels: 200 });
    expect(config.tracing.tracesUrl).toBeUndefined();
  });

  it('should parse the switches, the token and the OTLP endpoint and headers', () => {
    const config = parseConfig({
      ...secrets,
      METRICS_ENABLED: 'false',
      METRICS_TOKEN: 't'.repeat(20),
      WORKER_METRICS_PORT: '9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db,x-tenant = t1',
    });
    expect(config.metrics).toMatchObject({ enabled: false, token: 't'.repeat(20), workerPort: 9464 });
    expect(config.tracing).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'mcp-hub', headers: { 'api-key': 'a=b', 'x-tenant': 't1' } });
    expect(parseConfig({ ...secrets, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/traces' }).tracing.tracesUrl).toBe('https://x/traces');
  });

  it.each([
    [{ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ WORKER_METRICS_PORT: '99999' }, 'WORKER_METRICS_PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://x:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
  ])('should name the variable when %j is invalid', (env, variable) => {
    expect(() => parseConfig({ ...secrets, ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
