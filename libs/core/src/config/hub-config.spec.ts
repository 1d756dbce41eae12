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
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ HUB_ENCRYPTION_KEY: 'short' }, 'HUB_ENCRYPTION_KEY'],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ JWT_ACCESS_TTL: '15 minutes' }, 'JWT_ACCESS_TTL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
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
