import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ArchiveProblem, archiveError } from './backup-errors.js';
import { BackupKey, kdfParamsAcceptable, newKdfParams, type KdfParams } from './backup-key.js';

/**
 * One archive file:
 *
 *   MCPHUB-BACKUP 1\n
 *   <manifest as one line of JSON>\n
 *   <payload: AES-256-GCM of gzip(JSON of the sections), the 16-byte tag last>
 *
 * The manifest is readable without the passphrase (listing, counts) and is the payload's associated data: changing
 * a byte of it, or of the payload, fails authentication. Each section's SHA-256 is checked after decryption.
 * Secrets inside rows are additionally re-sealed under a key of their own (see SecretResealer).
 */
export const MAGIC = 'MCPHUB-BACKUP';
export const FORMAT_VERSION = 1;
export const ARCHIVE_EXTENSION = '.mcphub-backup';

export type BackupScopeKind = 'HUB' | 'USER';

export interface SectionInfo {
  /** The table the rows come from. */
  name: string;
  rows: number;
  /** SHA-256 (hex) of the section's JSON. */
  sha256: string;
}

export interface BackupManifest {
  formatVersion: number;
  hubVersion: string;
  /** The last migration the hub had applied: the shape of the rows. */
  schema: string;
  createdAt: string;
  scope: { kind: BackupScopeKind; userId?: string };
  kdf: KdfParams;
  keyCheck: string;
  payload: { cipher: 'aes-256-gcm'; iv: string; bytes: number };
  sections: SectionInfo[];
}

export type Rows = Record<string, unknown>[];
export type Sections = Record<string, Rows>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ArchiveInput {
  hubVersion: string;
  schema: string;
  scope: BackupManifest['scope'];
  createdAt: Date;
  /** Derived by the caller (it also re-seals the secrets with it), from `kdf`. */
  key: BackupKey;
  kdf: KdfParams;
  sections: Sections;
}

/** New KDF parameters and the key they give for `passphrase` (about half a second at the default cost: scrypt). */
export async function newBackupKey(passphrase: string, cost?: number): Promise<{ kdf: KdfParams; key: BackupKey }> {
  const kdf = newKdfParams(cost);
  return { kdf, key: await BackupKey.derive(passphrase, kdf) };
}

export function writeArchive(input: ArchiveInput): Buffer {
  const sectionTexts = Object.entries(input.sections).map(([name, rows]) => ({ name, rows, text: JSON.stringify(rows) }));
  const plain = gzipSync(Buffer.from(`{${sectionTexts.map((s) => `${JSON.stringify(s.name)}:${s.text}`).join(',')}}`));
  const iv = randomBytes(12);
  const manifest: BackupManifest = {
    formatVersion: FORMAT_VERSION,
    hubVersion: input.hubVersion,
    schema: input.schema,
    createdAt: input.createdAt.toISOString(),
    scope: input.scope,
    kdf: input.kdf,
    keyCheck: input.key.check(),
    payload: { cipher: 'aes-256-gcm', iv: iv.toString('base64url'), bytes: plain.length + 16 },
    sections: sectionTexts.map((s) => ({ name: s.name, rows: s.rows.length, sha256: sha256(s.text) })),
  };
  const manifestLine = Buffer.from(JSON.stringify(manifest));
  const cipher = createCipheriv('aes-256-gcm', input.key.payloadKey, iv);
  cipher.setAAD(manifestLine);
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION}\n`), manifestLine, Buffer.from('\n'), body]);
}

/** The parts of an archive, its manifest checked for shape (not yet for authenticity). */
export interface ParsedArchive {
  manifest: BackupManifest;
  manifestLine: Buffer;
  payload: Buffer;
}

/** Reads the manifest without the passphrase: enough to list an upload, and to refuse what is not an archive. */
export function parseArchive(file: Buffer): ParsedArchive {
  const first = file.indexOf(0x0a);
  const header = first < 0 ? '' : file.subarray(0, first).toString('latin1');
  if (!header.startsWith(`${MAGIC} `)) throw archiveError(ArchiveProblem.NOT_AN_ARCHIVE, 'this file is not an MCP Hub backup archive');
  if (header !== `${MAGIC} ${FORMAT_VERSION}`) {
    throw archiveError(ArchiveProblem.UNSUPPORTED, `archive format ${header.slice(MAGIC.length + 1)} is not supported by this hub (it reads format ${FORMAT_VERSION})`);
  }
  const second = file.indexOf(0x0a, first + 1);
  if (second < 0) throw archiveError(ArchiveProblem.TRUNCATED, 'the archive is truncated: its manifest is incomplete');
  const manifestLine = file.subarray(first + 1, second);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestLine.toString('utf8')) as BackupManifest;
  } catch {
    throw archiveError(ArchiveProblem.TAMPERED, 'the archive was altered or damaged: its manifest is not valid JSON');
  }
  if (!manifestShapeOk(manifest)) throw archiveError(ArchiveProblem.TAMPERED, 'the archive was altered or damaged: its manifest is incomplete');
  const payload = file.subarray(second + 1);
  if (payload.length < manifest.payload.bytes) {
    throw archiveError(ArchiveProblem.TRUNCATED, `the archive is truncated: ${payload.length} of ${manifest.payload.bytes} payload bytes present`);
  }
  if (payload.length > manifest.payload.bytes) throw archiveError(ArchiveProblem.TAMPERED, 'the archive was altered: it has bytes after its payload');
  return { manifest, manifestLine, payload };
}

/** Opens the payload: checks the passphrase, authenticates manifest and payload, checks every section's SHA-256. */
export async function openArchive(archive: ParsedArchive, passphrase: string): Promise<{ key: BackupKey; sections: Sections }> {
  const { manifest } = archive;
  const key = await BackupKey.derive(passphrase, manifest.kdf);
  if (!key.matches(manifest.keyCheck)) throw archiveError(ArchiveProblem.WRONG_PASSPHRASE, 'wrong passphrase: it does not open this archive');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.payloadKey, Buffer.from(manifest.payload.iv, 'base64url'));
    decipher.setAAD(archive.manifestLine);
    decipher.setAuthTag(archive.payload.subarray(archive.payload.length - 16));
    plain = Buffer.concat([decipher.update(archive.payload.subarray(0, archive.payload.length - 16)), decipher.final()]);
  } catch {
    throw archiveError(ArchiveProblem.TAMPERED, 'the archive was altered or damaged: its contents fail authentication');
  }
  const data = JSON.parse(gunzipSync(plain).toString('utf8')) as Sections;
  for (const section of manifest.sections) {
    const rows = data[section.name];
    if (!Array.isArray(rows) || rows.length !== section.rows || sha256(JSON.stringify(rows)) !== section.sha256) {
      throw archiveError(ArchiveProblem.TAMPERED, `the archive was altered or damaged: section "${section.name}" does not match its checksum`);
    }
  }
  if (Object.keys(data).length !== manifest.sections.length) throw archiveError(ArchiveProblem.TAMPERED, 'the archive was altered: it has sections its manifest does not list');
  return { key, sections: data };
}

function manifestShapeOk(m: BackupManifest): boolean {
  return (
    typeof m === 'object' && m !== null &&
    m.formatVersion === FORMAT_VERSION &&
    typeof m.createdAt === 'string' && !Number.isNaN(Date.parse(m.createdAt)) &&
    typeof m.schema === 'string' && typeof m.hubVersion === 'string' &&
    (m.scope?.kind === 'HUB' || m.scope?.kind === 'USER') &&
    typeof m.kdf === 'object' && m.kdf !== null && kdfParamsAcceptable(m.kdf) &&
    typeof m.keyCheck === 'string' &&
    m.payload?.cipher === 'aes-256-gcm' && typeof m.payload.iv === 'string' && Number.isInteger(m.payload.bytes) && m.payload.bytes >= 16 &&
    Array.isArray(m.sections) &&
    m.sections.every((s) => typeof s?.name === 'string' && Number.isInteger(s.rows) && typeof s.sha256 === 'string')
  );
}
