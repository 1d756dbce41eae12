import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigChangeBus } from '../../events/config-change-bus.js';
import { PINO } from '../../logging/logging.module.js';
import { SecretBox, sealedKeyId } from '../secret-box.js';
import { EncryptionKeyState, type EncryptionKey } from './encryption-key.entity.js';
import { EncryptionKeysRepository } from './encryption-keys.repository.js';

/** A hub that missed a key-change message still learns new keys this often (rotation waits longer before activating). */
export const KEYRING_REFRESH_MS = 15_000;

/** The part of the repository the keyring reads and writes (unit specs give an in-memory one). */
export type KeyringStore = Pick<EncryptionKeysRepository, 'allKeys' | 'keyStates' | 'rewrap'>;

/**
 * Loads the data keys from the database into this process's SecretBox: at boot (a key that cannot be unwrapped stops
 * the boot with a message naming the master key it needs), on every `encryption-key` change, every
 * KEYRING_REFRESH_MS when the key states changed, and once when a ciphertext names a key id this process does not
 * know (self-healing after a missed message). Data keys wrapped under an older master key are rewrapped under the
 * current one as they load.
 */
@Injectable()
export class EncryptionKeyring implements OnModuleInit, OnApplicationShutdown {
  private loaded = '';
  private reloading?: Promise<void>;
  /** Unknown key ids already looked for (bounded: forged ids must not grow it without end). */
  private readonly healed = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly box: SecretBox,
    @Inject(EncryptionKeysRepository) private readonly store: KeyringStore,
    @Optional() private readonly bus?: ConfigChangeBus,
    @Optional() @Inject(PINO) private readonly logger?: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.box.onUnknownKey = (keyId) => this.heal(keyId);
    this.unsubscribe = this.bus?.subscribeApplied(async (change) => {
      if (change.kind === 'encryption-key') await this.reload().catch((error: Error) => this.logger?.error({ err: error.message }, 'keyring reload failed'));
    });
    this.timer = setInterval(() => void this.refreshIfChanged(), KEYRING_REFRESH_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.box.onUnknownKey = undefined;
  }

  /** Reads every key again; concurrent callers share one load. */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** A ciphertext named `keyId`: reload once per unknown id (a forged id must not make every open hit the database). */
  heal(keyId: string): Promise<void> {
    if (this.box.knows(keyId)) return Promise.resolve();
    let healing = this.healed.get(keyId);
    if (!healing) {
      if (this.healed.size >= 1_000) this.healed.clear();
      healing = this.reload().then(
        () => this.logger?.warn({ keyId, known: this.box.knows(keyId) }, 'ciphertext named an unknown encryption key: keyring reloaded'),
        (error: Error) => {
          this.healed.delete(keyId);
          this.logger?.error({ keyId, err: error.message }, 'keyring reload failed');
        },
      );
      this.healed.set(keyId, healing);
    }
    return healing;
  }

  private async refreshIfChanged(): Promise<void> {
    try {
      if ((await this.store.keyStates()) !== this.loaded) await this.reload();
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message }, 'keyring refresh failed');
    }
  }

  private async load(): Promise<void> {
    const rows = await this.store.allKeys();
    const keys = new Map<string, Buffer>();
    let current = this.box.masterKeyId;
    for (const row of rows) {
      if (row.state === EncryptionKeyState.RETIRED || !row.sealedKey) continue;
      keys.set(row.id, this.box.unwrap(row.id, row.sealedKey));
      if (row.state === EncryptionKeyState.CURRENT) current = row.id;
      await this.rewrapIfOld(row, keys.get(row.id)!);
    }
    this.box.useDataKeys(keys, current);
    this.loaded = rows.map((r) => `${r.id}:${r.state}`).sort().join(',');
  }

  /** The master key was replaced (old one moved to HUB_ENCRYPTION_PREVIOUS_KEYS): wrap under the new one. */
  private async rewrapIfOld(row: EncryptionKey, key: Buffer): Promise<void> {
    if (sealedKeyId(row.sealedKey!) === this.box.masterKeyId) return;
    if (await this.store.rewrap(row.id, row.sealedKey!, this.box.wrap(key))) {
      this.logger?.info({ keyId: row.id, masterKeyId: this.box.masterKeyId }, 'data key rewrapped under the current master key');
    }
  }
}
