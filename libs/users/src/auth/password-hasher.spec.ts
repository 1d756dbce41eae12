import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '#core';
import { PasswordHasher } from './password-hasher.js';

const hasher = (env: Record<string, string> = {}) =>
  new PasswordHasher(parseConfig({ JWT_SECRET: 'x'.repeat(32), HUB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), DATABASE_URL: 'postgres://db/hub', ...env }));

describe(PasswordHasher.name, () => {
  it('should hash at N=2^15 by default and verify only the right password', async () => {
    const passwords = hasher();
    const stored = await passwords.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await passwords.verify('correct horse battery', stored)).toBe(true);
    expect(await passwords.verify('correct horse batterY', stored)).toBe(false);
  });

  it('should hash at PASSWORD_HASH_COST and still verify hashes made at another cost (each carries its own)', async () => {
    const cheap = hasher({ NODE_ENV: 'test', PASSWORD_HASH_COST: '10' });
    const stored = await cheap.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hasher().verify('correct horse battery', stored)).toBe(true);
    expect(await cheap.verify('correct horse battery', await hasher().hash('correct horse battery'))).toBe(true);
  });

  it('should make the unknown-email dummy hash as dear as a real one, and match no password', async () => {
    expect(hasher().dummyHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const cheap = hasher({ NODE_ENV: 'test', PASSWORD_HASH_COST: '10' });
    expect(cheap.dummyHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await cheap.verify('', cheap.dummyHash)).toBe(false);
  });
});
