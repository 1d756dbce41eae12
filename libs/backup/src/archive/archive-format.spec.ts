import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#core';
import { newBackupKey, openArchive, parseArchive, writeArchive, type Sections } from './archive-format.js';
import { ArchiveProblem } from './backup-errors.js';
import { newKdfParams } from './backup-key.js';

const PASSPHRASE = 'a long enough passphrase';
const SECTIONS: Sections = {
  users: [{ id: 'u1', email: 'a@example.com' }],
  api_keys: [
    { id: 'k1', user_id: 'u1', secret_hash: '\\xdeadbeef' },
    { id: 'k2', user_id: 'u1', secret_hash: '\\xfeedface' },
  ],
};

// The least cost a restore accepts (BACKUP_KDF_COST=14): each derivation at the default 17 takes half a second.
async function archive(): Promise<Buffer> {
  const { kdf, key } = await newBackupKey(PASSPHRASE, 14);
  return writeArchive({ hubVersion: '0.1.0', schema: 'Backups1795880000000', scope: { kind: 'HUB' }, createdAt: new Date('2026-11-28T00:00:00Z'), key, kdf, sections: SECTIONS });
}

async function problemOf(work: () => Promise<unknown> | unknown): Promise<string | undefined> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError) return error.details.reason as string;
    throw error;
  }
  return undefined;
}

describe('backup archive format', () => {
  let file: Buffer;

  it('should open with its passphrase to the same sections, with a manifest readable without it', async () => {
    file = await archive();
    const parsed = parseArchive(file);
    expect(parsed.manifest).toMatchObject({ formatVersion: 1, schema: 'Backups1795880000000', scope: { kind: 'HUB' }, kdf: { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 } });
    expect(parsed.manifest.sections.map((s) => [s.name, s.rows])).toEqual([['users', 1], ['api_keys', 2]]);
    expect(file.includes('a@example.com')).toBe(false);
    expect((await openArchive(parsed, PASSPHRASE)).sections).toEqual(SECTIONS);
  });

  it('should seal with scrypt N=2^17, r=8, p=1 and a fresh 16-byte salt unless BACKUP_KDF_COST says otherwise', () => {
    const kdf = newKdfParams();
    expect(kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(kdf.salt, 'base64url')).toHaveLength(16);
    expect(newKdfParams().salt).not.toBe(kdf.salt);
  });

  it('should say the passphrase is wrong (not that the archive is damaged) when it is', async () => {
    expect(await problemOf(() => openArchive(parseArchive(file), 'another passphrase'))).toBe(ArchiveProblem.WRONG_PASSPHRASE);
  });

  it('should find a truncated archive before asking for the passphrase', async () => {
    expect(await problemOf(() => parseArchive(file.subarray(0, file.length - 1)))).toBe(ArchiveProblem.TRUNCATED);
    expect(await problemOf(() => parseArchive(file.subarray(0, 30)))).toBe(ArchiveProblem.TRUNCATED);
    expect(await problemOf(() => parseArchive(Buffer.from('PK\u0003\u0004 a zip file')))).toBe(ArchiveProblem.NOT_AN_ARCHIVE);
  });

  it('should refuse a payload with one bit changed', async () => {
    const parsed = parseArchive(file);
    const changed = Buffer.from(file);
    changed[file.length - parsed.payload.length + 5] ^= 0x80;
    expect(await problemOf(() => openArchive(parseArchive(changed), PASSPHRASE))).toBe(ArchiveProblem.TAMPERED);
  });

  it('should refuse a manifest changed to match other contents (counts, scope)', async () => {
    const parsed = parseArchive(file);
    const forged = { ...parsed.manifest, scope: { kind: 'USER' as const, userId: 'u1' } };
    const rebuilt = Buffer.concat([Buffer.from('MCPHUB-BACKUP 1\n'), Buffer.from(JSON.stringify(forged)), Buffer.from('\n'), parsed.payload]);
    expect(await problemOf(() => openArchive(parseArchive(rebuilt), PASSPHRASE))).toBe(ArchiveProblem.TAMPERED);
  });

  it('should refuse KDF parameters that would exhaust the machine (an archive is untrusted input)', async () => {
    const parsed = parseArchive(file);
    const greedy = { ...parsed.manifest, kdf: { ...parsed.manifest.kdf, N: 2 ** 30 } };
    const rebuilt = Buffer.concat([Buffer.from('MCPHUB-BACKUP 1\n'), Buffer.from(JSON.stringify(greedy)), Buffer.from('\n'), parsed.payload]);
    expect(await problemOf(() => parseArchive(rebuilt))).toBe(ArchiveProblem.TAMPERED);
  });
});
