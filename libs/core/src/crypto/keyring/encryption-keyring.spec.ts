import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../errors/domain-error.js';
import { SecretBox, keyIdOf, sealedKeyId } from '../secret-box.js';
import { EncryptionKeyState, type EncryptionKey } from './encryption-key.entity.js';
import { EncryptionKeyring, type KeyringStore } from './encryption-keyring.js';

/** The keyring's table in memory: rows as the repository returns them, with the same compare-and-set rewrap. */
class MemoryStore implements KeyringStore {
  rows: EncryptionKey[] = [];
  loads = 0;

  add(box: SecretBox, state: EncryptionKeyState, key = randomBytes(32)): { id: string; key: Buffer } {
    const id = keyIdOf(key);
    this.rows.push({ id, sealedKey: box.wrap(key), state, createdAt: new Date(), activatedAt: null, retiredAt: null });
    return { id, key };
  }

  async allKeys() {
    this.loads++;
    return this.rows.map((r) => ({ ...r }));
  }

  async keyStates() {
    return this.rows.map((r) => `${r.id}:${r.state}`).sort().join(',');
  }

  async rewrap(id: string, before: string, after: string) {
    const row = this.rows.find((r) => r.id === id && r.sealedKey === before);
    if (row) row.sealedKey = after;
    return !!row;
  }
}

async function keyring(box: SecretBox, store: MemoryStore): Promise<EncryptionKeyring> {
  const ring = new EncryptionKeyring(box, store);
  await ring.onModuleInit();
  return ring;
}

describe(EncryptionKeyring.name, () => {
  const master = randomBytes(32);

  it('should seal with the master key until a data key is current, and open master-sealed values after', async () => {
    const box = new SecretBox(master);
    const store = new MemoryStore();
    const ring = await keyring(box, store);
    const legacy = box.seal('old value', 'ctx');
    expect(sealedKeyId(legacy)).toBe(keyIdOf(master));

    const data = store.add(box, EncryptionKeyState.CURRENT);
    await ring.reload();
    const fresh = box.seal('new value', 'ctx');
    expect(sealedKeyId(fresh)).toBe(data.id);
    expect(box.open(fresh, 'ctx')).toBe('new value');
    expect(box.open(legacy, 'ctx')).toBe('old value');
    ring.onApplicationShutdown();
  });

  it('should know a PENDING key without sealing with it, so hubs can open its values before it becomes current', async () => {
    const box = new SecretBox(master);
    const store = new MemoryStore();
    const current = store.add(box, EncryptionKeyState.CURRENT);
    const pending = store.add(box, EncryptionKeyState.PENDING);
    const ring = await keyring(box, store);
    expect(box.currentKeyId).toBe(current.id);
    expect(box.knows(pending.id)).toBe(true);
    ring.onApplicationShutdown();
  });

  it('should reload once when a ciphertext names an unknown key id, then open it', async () => {
    const box = new SecretBox(master);
    const store = new MemoryStore();
    const ring = await keyring(box, store);
    // Another hub made a key and sealed with it; this one missed the message.
    const elsewhere = new SecretBox(master);
    const added = store.add(elsewhere, EncryptionKeyState.CURRENT);
    await new EncryptionKeyring(elsewhere, store).onModuleInit();
    const sealed = elsewhere.seal('value', 'ctx');
    const loadsBefore = store.loads;

    expect(await box.healed()).toBe(false);
    expect(() => box.open(sealed, 'ctx')).toThrow(DomainError);
    // The failed open alone set the reload going; an async caller waits for it and retries once.
    expect(await box.healed()).toBe(true);
    expect(box.open(sealed, 'ctx')).toBe('value');
    await ring.heal(added.id);
    expect(store.loads).toBe(loadsBefore + 1);
    ring.onApplicationShutdown();
  });

  it('should not hit the database again for the same unknown key id (a forged id costs one reload)', async () => {
    const box = new SecretBox(master);
    const store = new MemoryStore();
    const ring = await keyring(box, store);
    const forged = `v1.deadbeef.${randomBytes(12).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
    const loadsBefore = store.loads;
    for (let i = 0; i < 5; i++) expect(() => box.open(forged, 'ctx')).toThrow(/unknown key id "deadbeef"/);
    await ring.heal('deadbeef');
    await ring.heal('deadbeef');
    expect(store.loads).toBe(loadsBefore + 1);
    ring.onApplicationShutdown();
  });

  it('should rewrap data keys under a new master key and keep opening their values', async () => {
    const before = new SecretBox(master);
    const store = new MemoryStore();
    const data = store.add(before, EncryptionKeyState.CURRENT);
    (await keyring(before, store)).onApplicationShutdown();
    const sealed = before.seal('value', 'ctx');

    const newMaster = randomBytes(32);
    const after = new SecretBox(newMaster, [master]);
    const ring = await keyring(after, store);
    expect(sealedKeyId(store.rows[0].sealedKey!)).toBe(keyIdOf(newMaster));
    ring.onApplicationShutdown();

    // The old master key is no longer needed.
    const only = new SecretBox(newMaster);
    (await keyring(only, store)).onApplicationShutdown();
    expect(only.open(sealed, 'ctx')).toBe('value');
    expect(only.currentKeyId).toBe(data.id);
  });

  it('should refuse to load under a wrong master key, naming the master key id it needs', async () => {
    const store = new MemoryStore();
    store.add(new SecretBox(master), EncryptionKeyState.CURRENT);
    const wrong = randomBytes(32);
    await expect(keyring(new SecretBox(wrong), store)).rejects.toThrow(
      `is wrapped with master key id "${keyIdOf(master)}", which is neither HUB_ENCRYPTION_KEY (id ${keyIdOf(wrong)}) nor in HUB_ENCRYPTION_PREVIOUS_KEYS`,
    );
  });

  it('should forget a retired key: its values can no longer be opened', async () => {
    const box = new SecretBox(master);
    const store = new MemoryStore();
    const old = store.add(box, EncryptionKeyState.CURRENT);
    const ring = await keyring(box, store);
    const sealed = box.seal('value', 'ctx');
    Object.assign(store.rows[0], { state: EncryptionKeyState.RETIRED, sealedKey: null });
    await ring.reload();
    expect(box.knows(old.id)).toBe(false);
    expect(() => box.open(sealed, 'ctx')).toThrow(/unknown key id/);
    ring.onApplicationShutdown();
  });
});
