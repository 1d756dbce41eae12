import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '#core';

describe('embedded PGlite in DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcphub-persist-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const withClient = async <T>(url: string, work: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  it('should keep data across a restart of the embedded server', async () => {
    const first = await startEmbeddedPostgres(dataDir);
    await withClient(first.url, async (c) => {
      await c.query('CREATE TABLE kept (v text)');
      await c.query(`INSERT INTO kept VALUES ('survives')`);
    });
    await first.stop();
    const second = await startEmbeddedPostgres(dataDir);
    const rows = await withClient(second.url, (c) => c.query('SELECT v FROM kept'));
    await second.stop();
    expect(rows.rows).toEqual([{ v: 'survives' }]);
  });
});
