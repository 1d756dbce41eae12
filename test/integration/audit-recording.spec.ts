import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { DataSource, type Repository } from 'typeorm';
import { dataSourceOptions, withRequestContext, type HubConfig } from '#core';
import { User } from '#users';
import { AuditEntry } from '../../libs/auth/src/audit/audit-entry.entity.js';
import { AuditLogRepository } from '../../libs/auth/src/audit/audit-log.repository.js';
import { AuditLogWriter } from '../../libs/auth/src/audit/audit-log.writer.js';
import { AuditScope, runInAuditScope } from '../../libs/auth/src/audit/recording/audit-scope.js';
import { AuditSubscriber } from '../../libs/auth/src/audit/recording/audit.subscriber.js';
import { AuditRetention } from '../../libs/auth/src/audit/retention/audit-retention.service.js';
import { databaseTargets } from '../support/database-targets.js';

describe.each(databaseTargets.map((t) => [t.name, t] as const))('audit recording through the TypeORM subscriber on %s', (_name, target) => {
  let db: { url: string; dispose(): Promise<void> };
  let ds: DataSource;
  let users: Repository<User>;
  let repo: AuditLogRepository;
  let n = 0;

  const entries = () => ds.getRepository(AuditEntry).find({ order: { at: 'ASC' } });
  const newUser = (label: string) => users.create({ email: `${label}-${++n}@example.com`, passwordHash: `hash-of-${label}`, displayName: label });

  /** Runs `work` as the audited operation `action` of a request with a known correlation id. */
  async function operation<T>(action: string, work: () => Promise<T>): Promise<{ result?: T; error?: unknown; scope: AuditScope }> {
    const scope = new AuditScope(action, {});
    try {
      const result = await withRequestContext({ correlationId: `corr-${action}` }, () => runInAuditScope(scope, work));
      return { result, scope };
    } catch (error) {
      return { error, scope };
    } finally {
      scope.close();
    }
  }

  beforeAll(async () => {
    db = await target.create();
    ds = await new DataSource({ ...dataSourceOptions(db.url, target.poolSize), entities: [User, AuditEntry], migrationsRun: true }).initialize();
    users = ds.getRepository(User);
    repo = new AuditLogRepository(ds);
    new AuditSubscriber(ds, new AuditLogWriter(repo, ds));
  });
  beforeEach(() => ds.query('DELETE FROM audit_log'));
  afterAll(async () => {
    await ds?.destroy();
    await db?.dispose();
  });

  it('should write the entry of a save inside the save’s own transaction, with the request’s correlation id', async () => {
    const { result, scope } = await operation('createThing', () => users.save(newUser('one')));
    const [entry, ...more] = await entries();
    expect(more).toEqual([]);
    expect(scope.entryId).toBe(entry.id);
    expect(entry).toMatchObject({ action: 'createThing', outcome: 'SUCCESS', correlationId: 'corr-createThing', targetType: 'User', targetId: result!.id });
    expect(entry.changes).toEqual([
      {
        entity: 'User',
        id: result!.id,
        op: 'INSERT',
        fields: expect.arrayContaining([{ name: 'email', new: result!.email }, { name: 'passwordHash', secret: true, new: '[secret changed]' }]),
      },
    ]);
    expect(JSON.stringify(entry)).not.toContain('hash-of-one');
  });

  it('should add the changes of a later transaction of the same operation to its one entry', async () => {
    await operation('twoSteps', async () => {
      const user = await users.save(newUser('two'));
      user.displayName = 'renamed';
      await users.save(user);
    });
    const [entry, ...more] = await entries();
    expect(more).toEqual([]);
    expect(entry.changes.map((c) => c.op)).toEqual(['INSERT', 'UPDATE']);
    expect(entry.changes[1].fields).toEqual([{ name: 'displayName', old: 'two', new: 'renamed' }]);
  });

  it('should write nothing when the transaction rolls back', async () => {
    const { error, scope } = await operation('doomed', () =>
      ds.transaction(async (manager) => {
        await manager.save(newUser('doomed'));
        throw new Error('changed my mind');
      }),
    );
    expect((error as Error).message).toBe('changed my mind');
    expect(scope.entryId).toBeNull();
    expect(await entries()).toEqual([]);
  });

  it('should leave out the changes of a savepoint that rolled back', async () => {
    let kept!: User;
    await operation('partly', () =>
      ds.transaction(async (manager) => {
        kept = await manager.save(newUser('kept'));
        await manager
          .transaction(async (inner) => {
            await inner.save(newUser('undone'));
            throw new Error('undo the inner part');
          })
          .catch(() => undefined);
      }),
    );
    const [entry] = await entries();
    expect(entry.changes.map((c) => c.id)).toEqual([kept.id]);
    expect(await users.countBy({ displayName: 'undone' })).toBe(0);
  });

  it('should refuse a query-builder write outside a transaction, before it happens, and record one inside a transaction', async () => {
    const user = await users.save(newUser('qb'));
    const { error } = await operation('sneakyUpdate', () => users.update({ id: user.id }, { displayName: 'sneaky' }));
    expect((error as Error).message).toMatch(/^UPDATE on users during sneakyUpdate outside a transaction/);
    expect((await users.findOneByOrFail({ id: user.id })).displayName).toBe('qb');
    expect(await entries()).toEqual([]);

    await operation('properUpdate', () => ds.transaction((manager) => manager.update(User, { id: user.id }, { displayName: 'proper' })));
    const [entry] = await entries();
    expect(entry.changes).toEqual([{ entity: 'User', id: null, op: 'UPDATE', fields: [{ name: 'displayName', new: 'proper' }] }]);
  });

  it('should not record writes outside an operation, nor those made after it ended', async () => {
    await users.save(newUser('outside'));
    const { scope } = await operation('finished', async () => undefined);
    await runInAuditScope(scope, () => users.save(newUser('late')));
    expect(await entries()).toEqual([]);
  });

  describe(AuditRetention.name, () => {
    const config = (retentionDays: number) => ({ audit: { retentionDays } }) as HubConfig;
    const logger = pino({ level: 'silent' });
    const insert = (daysAgo: number, count: number) =>
      ds.query(
        `INSERT INTO audit_log (id, at, action, outcome) SELECT gen_random_uuid(), now() - make_interval(days => $1) - make_interval(secs => g), 'old', 'SUCCESS' FROM generate_series(1, $2) g`,
        [daysAgo, count],
      );
    const count = async () => Number((await ds.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n);

    it('should delete only entries older than the retention, in bounded batches, continuing on the next run', async () => {
      await insert(366, 50);
      await insert(364, 5);
      const retention = new AuditRetention(repo, config(365), logger);
      const limits = { batch: 10, maxBatches: 3 };
      expect(await retention.purge(new Date(), limits)).toBe(30);
      expect(await retention.purge(new Date(), limits)).toBe(20);
      expect(await retention.purge(new Date(), limits)).toBe(0);
      expect(await count()).toBe(5);
    });

    it('should keep everything with AUDIT_RETENTION_DAYS=0', async () => {
      await insert(3_650, 3);
      const retention = new AuditRetention(repo, config(0), logger);
      expect(retention.enabled).toBe(false);
      expect(await retention.purge()).toBe(0);
      expect(await count()).toBe(3);
    });
  });
});
