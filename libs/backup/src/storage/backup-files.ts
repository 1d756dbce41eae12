import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HUB_CONFIG, notFound, type HubConfig } from '#core';
import { ARCHIVE_EXTENSION } from '../archive/archive-format.js';

/** Archives in BACKUP_DIR. Names are made here (never taken from a request), so no path leaves the directory. */
@Injectable()
export class BackupFiles {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  get dir(): string {
    return this.config.backup.dir;
  }

  newName(at: Date, label: string): string {
    const stamp = at.toISOString().replace(/[:.]/g, '-');
    return `mcphub-${label}-${stamp}-${randomBytes(4).toString('hex')}${ARCHIVE_EXTENSION}`;
  }

  /** Written to a temporary name and renamed: a crash never leaves half an archive under a listed name. */
  async write(name: string, data: Buffer): Promise<{ sizeBytes: number; sha256: string }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = this.path(name);
    const temporary = `${path}.partial`;
    await writeFile(temporary, data, { mode: 0o600 });
    await rename(temporary, path);
    return { sizeBytes: data.length, sha256: sha256(data) };
  }

  /** Archive names in the directory (none when it does not exist yet). */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => name.endsWith(ARCHIVE_EXTENSION));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async read(name: string): Promise<Buffer> {
    try {
      return await readFile(this.path(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('Backup file', name);
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }

  private path(name: string): string {
    return join(this.dir, basename(name));
  }
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
