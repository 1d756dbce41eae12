import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createLogger, dataSourceOptions, startEmbeddedPostgres, type RunningEmbeddedPostgres } from '#core';
import { CallOutcome, type CallLogEntry } from '#keys';
import { entryBytes } from '../../libs/keys/src/call-log/call-log-entry.js';
import { EmbeddedUsageSink } from '../../libs/keys/src/usage/embedded-usage.sink.js';
import { waitFor } from '../support/upstreams.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// Embedded mode's usage path against a real PGlite, behind a proxy the spec cuts to make every write fail.
describe(EmbeddedUsageSink.name, () => {
  let pglite: RunningEmbeddedPostgres;
  let proxy: TcpProxy;
  let dataSource: DataSource;
  let keyId: string;
  const serverId = randomUUID();
  const logger = createLogger('silent');
  const call = (tool: string, ok = true) => ({ keyId, serverId, serverSlug: 'everything', tool, ok, latencyMs: 5 });
  const entry = (name: string, outcome = CallOutcome.OK): CallLogEntry => ({
    at: Date.now(), keyId, userId, groupId: null, serverId, replicaId: null, method: 'tools/call', name, outcome,
    latencyMs: 5, error: null, correlationId: 'req-12345678', arguments: null, result: null,
  });
  const logged = async (name: string): Promise<number> => (await dataSource.query(`SELECT count(*)::int AS n FROM call_log WHERE name = $1`, [name]))[0].n;
  let userId: string;
  const recorded = async (tool?: string): Promise<number> =>
    (await dataSource.query(`SELECT coalesce(sum(calls), 0)::int AS n FROM usage_hourly WHERE key_id = $1 AND ($2::text IS NULL OR tool = $2)`, [keyId, tool ?? null]))[0].n;

  beforeAll(async () => {
    pglite = await startEmbeddedPostgres();
    proxy = await startTcpProxy('127.0.0.1', Number(new URL(pglite.url).port));
    dataSource = await new DataSource(dataSourceOptions(proxy.url(pglite.url), 1)).initialize();
    await dataSource.runMigrations();
    const [user] = await dataSource.query(`INSERT INTO users (email, role) VALUES ('usage@example.com', 'ADMIN') RETURNING id`);
    const [key] = await dataSource.query(
      `INSERT INTO api_keys (public_id, secret_hash, name, user_id) VALUES ('usagetest', '\\x00', 'usage', $1) RETURNING id`,
      [user.id],
    );
    keyId = key.id;
    userId = user.id;
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await proxy?.close();
    await pglite?.stop();
  });

  it('should keep every call through failed flushes and write them all once the database is back', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 60_000);
    for (let i = 0; i < 5; i++) sink.record(call('echo'));
    proxy.cut();
    await expect(sink.flush()).rejects.toThrow();
    for (let i = 0; i < 3; i++) sink.record(call('echo', false));
    await expect(sink.flush()).rejects.toThrow();
    expect(sink.bufferedRows).toBe(1);
    proxy.restore();
    await sink.flush();
    expect(await recorded('echo')).toBe(8);
    const [row] = await dataSource.query(`SELECT errors FROM usage_hourly WHERE key_id = $1 AND tool = 'echo'`, [keyId]);
    expect(row.errors).toBe(3);
    expect(sink.bufferedRows).toBe(0);
    expect(sink.droppedCalls).toBe(0);
  });

  it('should write what it holds when the process shuts down', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 60_000);
    sink.start();
    for (let i = 0; i < 4; i++) sink.record(call('shutdown'));
    await sink.stop();
    expect(await recorded('shutdown')).toBe(4);
  });

  it('should write on its own every flush interval', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 100);
    sink.start();
    try {
      sink.record(call('timer'));
      await waitFor(async () => (await recorded('timer')) === 1, 5_000, 'the timed flush');
      expect(await recorded('timer')).toBe(1);
    } finally {
      await sink.stop();
    }
  });

  it('should drop and count only calls of new rows past its bound, and still write what it held', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 60_000, 2);
    proxy.cut();
    sink.record(call('cap-a'));
    sink.record(call('cap-b'));
    await expect(sink.flush()).rejects.toThrow();
    sink.record(call('cap-c')); // a third row: over the bound
    sink.record(call('cap-a')); // a held row still adds up
    expect(sink.droppedCalls).toBe(1);
    proxy.restore();
    await sink.flush();
    expect(await recorded('cap-a')).toBe(2);
    expect(await recorded('cap-b')).toBe(1);
    expect(await recorded('cap-c')).toBe(0);
  });

  it('should write call-log entries in the same flush as usage and keep both through failed flushes', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 60_000);
    for (let i = 0; i < 3; i++) sink.record(call('logged'), entry('logged'));
    sink.record(null, entry('logged', CallOutcome.QUOTA_REFUSED)); // refused: an entry, no usage
    proxy.cut();
    await expect(sink.flush()).rejects.toThrow();
    sink.record(call('logged', false), entry('logged', CallOutcome.TOOL_ERROR));
    await expect(sink.flush()).rejects.toThrow();
    expect(sink.bufferedEntries).toBe(5);
    proxy.restore();
    await sink.flush();
    expect(await recorded('logged')).toBe(4);
    expect(await logged('logged')).toBe(5);
    const outcomes = await dataSource.query(`SELECT outcome, count(*)::int AS n FROM call_log WHERE name = 'logged' GROUP BY 1 ORDER BY 1`);
    expect(outcomes).toEqual([{ outcome: 'OK', n: 3 }, { outcome: 'QUOTA_REFUSED', n: 1 }, { outcome: 'TOOL_ERROR', n: 1 }]);
    expect(sink.bufferedEntries).toBe(0);
  });

  it('should drop and count call-log entries past its byte bound while the database is away', async () => {
    const sink = new EmbeddedUsageSink(dataSource, logger, 60_000, 100, entryBytes(entry('bounded')) * 2);
    proxy.cut();
    sink.record(null, entry('bounded'));
    sink.record(null, entry('bounded'));
    await expect(sink.flush()).rejects.toThrow();
    sink.record(null, entry('bounded')); // the two held ones still count against the bound
    expect(sink.droppedEntries).toBe(1);
    proxy.restore();
    await sink.flush();
    expect(await logged('bounded')).toBe(2);
  });
});
