import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedSecrets } from './hub-config.js';

/**
 * Embedded mode only: secrets generated on first start and kept in DATA_DIR so encrypted data and issued tokens
 * survive a restart. Returns whether they were just created, so the caller can warn once.
 */
export function loadOrCreateEmbeddedSecrets(dataDir: string): GeneratedSecrets & { created: boolean } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { encryptionKey: string; jwtSecret: string };
    return { encryptionKey: Buffer.from(raw.encryptionKey, 'base64'), jwtSecret: raw.jwtSecret, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { encryptionKey: randomBytes(32), jwtSecret: randomBytes(48).toString('base64url') };
  writeFileSync(
    file,
    JSON.stringify({ encryptionKey: secrets.encryptionKey.toString('base64'), jwtSecret: secrets.jwtSecret }),
    { mode: 0o600, flag: 'wx' },
  );
  return { ...secrets, created: true };
}
