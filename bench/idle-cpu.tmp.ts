import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { cpuMicros, stop } from './processes.js';
import { createDatabase, flushRedis, startHub } from './loadtest-hub.js';
const db = await createDatabase('postgres://postgres@127.0.0.1:5432/postgres');
await flushRedis('redis://127.0.0.1:6379/8');
const hub = await startHub(39555, mkdtempSync(join(tmpdir(), 'idle-')), db.url, 'redis://127.0.0.1:6379/8', 'info', ['--perf-basic-prof']);
let last = cpuMicros(hub.pid!);
for (let i = 0; i < 9; i++) {
  await new Promise((r) => setTimeout(r, 10000));
  const now = cpuMicros(hub.pid!);
  console.log(`${(i + 1) * 10} s: ${((now - last) / 10000).toFixed(1)} ms/s`);
  last = now;
}
execSync(`perf record -e cpu-clock -F 999 -g -p ${hub.pid} -o /tmp/exp/idle2.data -- sleep 15 2>/dev/null`);
await stop(hub); await db.drop();
