import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  EncryptionKey,
  EncryptionKeyring,
  EncryptionKeysRepository,
  KeyRotation,
  SealedCiphertexts,
  SealedColumnRegistry,
  SecretBox,
  dataSourceOptions,
  keyIdOf,
  sealedKeyId,
  type SealedColumn,
} from '#core';
import { KeyRotationRunner } from '../../libs/core/src/crypto/keyring/key-rotation.runner.js';
import { databaseTargets } from '../support/database-targets.js';
import { testConfig } from '../support/test-config.js';

const textColumn: SealedColumn = { table: 'rotation_fixture', column: 'secret', key: ['id'], shape: 'text', context: (row) => `fixture:${row.id}:secret` };
const entriesColumn: SealedColumn = {
  table: 'rotation_fixture',
  column: 'entries',
  key: ['id'],
  shape: 'entries',
  context: (row, name) => `fixture:${row.id}:entry:${name}`,
};

describe.each(databaseTargets.map((t) => [t.name, t] as const))('key rotation runner on %s', (_name, target) => {
  let db: { url: string; dispose(): Promise<void> };
  let dataSource: DataSource;
  let box: SecretBox;
  let keys: EncryptionKeysRepository;
  let keyring: EncryptionKeyring;
  let ciphertexts: SealedCiphertexts;
  const registry = new SealedColumnRegistry();
  const master = randomBytes(32);
  const config = testConfig({ KEY_ROTATION_BATCH_SIZE: '2' });

  const runner = (over: Partial<SealedCiphertexts> = {}) => new KeyRotationRunner(box, keyring, keys, Object.assign(Object.create(ciphertexts) as SealedCiphertexts, over), config);
  const insert = async (id: number, secret: string | null, entries: Record<string, string>) => {
    const sealedEntries = Object.entries(entries).map(([name, value]) => ({ name, value: box.seal(value, `fixture:${id}:entry:${name}`) }));
    await dataSource.query('INSERT INTO rotation_fixture (id, secret, entries) VALUES ($1, $2, $3::jsonb)', [
      id,
      secret === null ? null : box.seal(secret, `fixture:${id}:secret`),
      JSON.stringify(sealedEntries),
    ]);
  };
  const row = async (id: number) => (await dataSource.query('SELECT * FROM rotation_fixture WHERE id = $1', [id]))[0] as { secret: string | null; entries: { name: string; value: string }[] };
  /** What rotateEncryptionKey does before it enqueues the job. */
  const startRotation = async (extraColumns: string[] = []) => {
    const dataKey = randomBytes(32);
    const id = keyIdOf(dataKey);
    const columns = registry.all();
    const total = await ciphertexts.countNotUnder(id, columns);
    const rotation = await keys.transaction(async (manager) => {
      await keys.insertKey(manager, id, box.wrap(dataKey));
      return keys.insertRotation(manager, { keyId: id, columns: [...columns.map((c) => `${c.table}.${c.column}`), ...extraColumns], total, startedBy: null });
    });
    await keyring.reload();
    return rotation;
  };

  beforeAll(async () => {
    db = await target.create();
    dataSource = await new DataSource({ ...dataSourceOptions(db.url, target.poolSize), entities: [EncryptionKey, KeyRotation] }).initialize();
    await dataSource.runMigrations();
    await dataSource.query('CREATE TABLE rotation_fixture (id int PRIMARY KEY, secret text, entries jsonb NOT NULL)');
    registry.register(textColumn, entriesColumn);
    box = new SecretBox(master);
    keys = new EncryptionKeysRepository(dataSource);
    keyring = new EncryptionKeyring(box, keys);
    await keyring.onModuleInit();
    ciphertexts = new SealedCiphertexts(registry, dataSource);
  }, 60_000);

  afterAll(async () => {
    keyring?.onApplicationShutdown();
    await dataSource?.destroy();
    await db?.dispose();
  });

  it('should not write over a value that changed since it was read (compare-and-set)', async () => {
    await insert(1, 'first', {});
    const read = (await ciphertexts.rowsNotUnder(textColumn, 'ffffffff', null, 10)).find((r) => r.id === 1)!;
    await dataSource.query('UPDATE rotation_fixture SET secret = $1 WHERE id = 1', [box.seal('changed meanwhile', 'fixture:1:secret')]);
    expect(await ciphertexts.replace(textColumn, read, read.secret, box.seal('stale', 'fixture:1:secret'))).toBe(false);
    expect(box.open((await row(1)).secret!, 'fixture:1:secret')).toBe('changed meanwhile');
  });

  it('should re-seal every value in batches, re-reading a row changed between its read and its write', async () => {
    for (let id = 2; id <= 8; id++) await insert(id, id % 3 ? `secret-${id}` : null, { A: `a-${id}`, B: `b-${id}` });
    const rotation = await startRotation();
    let raced = false;
    const racing = runner({
      // A hub that has not heard of the new key yet (it seals with the master key) saves a new value for row 5
      // right after the runner read it. (Written through the batch's transaction: PGlite here has one connection,
      // which the batch holds.)
      replace: async (column, r, before, next, manager) => {
        if (!raced && column === textColumn && r.id === 5) {
          raced = true;
          await manager!.query('UPDATE rotation_fixture SET secret = $1 WHERE id = 5', [new SecretBox(master).seal('saved by a hub meanwhile', 'fixture:5:secret')]);
        }
        return ciphertexts.replace(column, r, before, next, manager);
      },
    });
    await racing.run(rotation.id);

    expect(raced).toBe(true);
    expect(box.open((await row(5)).secret!, 'fixture:5:secret')).toBe('saved by a hub meanwhile');
    expect(await ciphertexts.countNotUnder(rotation.keyId)).toBe(0);
    for (let id = 2; id <= 8; id++) {
      const r = await row(id);
      expect(r.entries.map((e) => box.open(e.value, `fixture:${id}:entry:${e.name}`))).toEqual([`a-${id}`, `b-${id}`]);
      expect(r.entries.map((e) => sealedKeyId(e.value))).toEqual([rotation.keyId, rotation.keyId]);
    }
    const done = await keys.findRotation(rotation.id);
    expect(done).toMatchObject({ state: 'DONE', errors: 0, done: rotation.total });
  });

  it('should count every value once when the process dies between a batch and its count, then resumes', async () => {
    for (let id = 20; id <= 25; id++) await insert(id, `secret-${id}`, { A: `a-${id}` });
    const rotation = await startRotation();
    let died = false;
    // The first batch's values are written, then the process dies before its count is: the batch must not stay half done.
    const dying = Object.assign(Object.create(keys) as EncryptionKeysRepository, {
      addProgress: async (manager: EntityManager, id: string, done: number) => {
        if (!died && done > 0) {
          died = true;
          throw new Error('the process died');
        }
        return keys.addProgress(manager, id, done);
      },
    });
    await expect(new KeyRotationRunner(box, keyring, dying, ciphertexts, config).run(rotation.id)).rejects.toThrow('the process died');
    expect(await ciphertexts.countNotUnder(rotation.keyId)).toBe(rotation.total);
    expect((await keys.findRotation(rotation.id))!.done).toBe(0);

    await runner().run(rotation.id);
    expect(await keys.findRotation(rotation.id)).toMatchObject({ state: 'DONE', errors: 0, done: rotation.total });
    expect(await ciphertexts.countNotUnder(rotation.keyId)).toBe(0);
  });

  it('should finish with errors naming the row, never the value, when a ciphertext cannot be opened', async () => {
    await dataSource.query('INSERT INTO rotation_fixture (id, secret, entries) VALUES (99, $1, $2::jsonb)', [box.seal('moved here', 'fixture:98:secret'), '[]']);
    const rotation = await startRotation();
    await runner().run(rotation.id);
    const done = await keys.findRotation(rotation.id);
    expect(done).toMatchObject({ state: 'DONE_WITH_ERRORS', errors: 1 });
    expect(done!.lastError).toMatch(/^rotation_fixture\.secret row 99: Secret failed authentication/);
    expect(done!.lastError).not.toContain('moved here');
    await dataSource.query('DELETE FROM rotation_fixture WHERE id = 99');
  });

  it('should refuse to run where a column the hub registered is unknown (a worker missing a module)', async () => {
    const rotation = await startRotation(['credentials.secret']);
    await expect(runner().run(rotation.id)).rejects.toThrow('this process does not know the sealed column(s) credentials.secret');
    await dataSource.query(`UPDATE key_rotations SET state = 'DONE' WHERE id = $1`, [rotation.id]);
  });
});
