// npm run soak [-- <cases>]: the fuzz spec's generators (test/support/fuzz) against a freshly built hub in its own
// process, for many more cases (default 50,000). Prints crashes, hangs and 5xx; exits 1 if there were any.
// FUZZ_SEED replays a run; FUZZ_CONCURRENCY sets requests in flight (default 16). Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareFuzzTarget } from '../test/support/fuzz/fuzz-hub.js';
import { fuzzSeed } from '../test/support/fuzz/prng.js';
import { runFuzz } from '../test/support/fuzz/runner.js';
import { freePort } from '../test/support/upstreams.js';
import { rssMb, start, stop } from './processes.js';

async function main() {
  const cases = Number(process.argv[2] ?? 50_000);
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`cases must be a positive integer, got "${process.argv[2]}"`);
  const seed = fuzzSeed();
  const concurrency = Number(process.env.FUZZ_CONCURRENCY ?? 16);
  const dataDir = mkdtempSync(join(tmpdir(), 'mcphub-soak-'));
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  const hub = await start(process.execPath, ['dist/apps/hub/src/main.js'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: hubUrl,
    DATA_DIR: dataDir,
    ADMIN_EMAIL: 'soak@example.com',
    ADMIN_PASSWORD: 'soak-password-123',
    UPSTREAM_REQUEST_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'info',
    DATABASE_URL: '',
    REDIS_URL: '',
  }, /"status":"ok"|listening on|MCP Hub listening/i);
  let exited: string | undefined;
  hub.once('exit', (code, signal) => (exited = `hub exited (code ${code}, signal ${signal})`));
  const target = await prepareFuzzTarget(hubUrl, 'soak@example.com', 'soak-password-123');
  const started = Date.now();
  console.log(`soak: seed ${seed} (replay with FUZZ_SEED=${seed}), ${cases} cases, ${concurrency} in flight, hub pid ${hub.pid}`);
  try {
    const report = await runFuzz(seed, cases, target.ctx, {
      concurrency,
      deadlineMs: 10_000,
      onProgress: (done) => done % 10_000 === 0 && console.log(`  ${done} cases, hub RSS ${exited ? '-' : rssMb(hub.pid!).toFixed(0)} MB`),
    });
    const count = (problem: string) => report.violations.filter((v) => v.problem === problem).length;
    const alive = !exited && (await fetch(`${hubUrl}/health/live`).then((r) => r.ok, () => false));
    console.log(`soak: ${report.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(report.statuses)}`);
    console.log(`soak: crashes ${count('crash')}, hangs ${count('hang')}, 5xx ${count('5xx')}, errors without a code ${count('no-error-code')}; hub ${alive ? 'still serving' : exited ?? 'not answering'}`);
    for (const v of report.violations.slice(0, 20)) console.log(`  #${v.index} ${v.kind} ${v.problem} ${v.status ?? ''}: ${v.detail.slice(0, 300)}`);
    process.exitCode = report.violations.length || !alive ? 1 : 0;
  } finally {
    await target.close();
    await stop(hub);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
