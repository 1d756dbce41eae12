// In-process cost of charging a quota-limited call (QuotaService.charge) against a real Redis: this process's CPU µs
// and wall time per charge, sequential and 16 at a time. BENCH_BEFORE_DIR=<another checkout, built> measures that
// checkout's QuotaService too, in the same run. Robust on a busy machine: only this process's CPU is counted.
// Needs Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/0; keys are namespaced per run and expire in a day).
// Run: npm run bench:quota-charge (the BEFORE checkout's build is loaded from its dist)
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRedis } from '#core';
import { QuotaService } from '#keys';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const CHARGES = Number(process.env.BENCH_CHARGES ?? 20_000);
const BEFORE_DIR = process.env.BENCH_BEFORE_DIR;
const limits = { perMinute: 10_000_000, perDay: 10_000_000 };

type Charging = { charge(keyId: string, l: typeof limits): Promise<{ allowed: boolean }> };

async function measure(quotas: Charging, concurrency: number) {
  const keyId = `bench-${randomUUID()}`;
  for (let i = 0; i < 500; i++) await quotas.charge(keyId, limits); // warm-up (JIT, script cache)
  const cpu = process.cpuUsage();
  const started = performance.now();
  let allowed = 0;
  for (let done = 0; done < CHARGES; done += concurrency) {
    const batch = await Promise.all(Array.from({ length: concurrency }, () => quotas.charge(keyId, limits)));
    allowed += batch.filter((d) => d.allowed).length;
  }
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  if (allowed !== CHARGES) throw new Error(`only ${allowed} of ${CHARGES} charges allowed`);
  return { cpuUs: (used.user + used.system) / CHARGES, wallUs: (ms * 1000) / CHARGES };
}

const redis = createRedis(REDIS_URL);
await new Promise((r) => redis.once('ready', r));
const impls: [string, Charging][] = [['this build', new QuotaService(redis)]];
if (BEFORE_DIR) {
  const before = await import(pathToFileURL(join(resolve(BEFORE_DIR), 'dist/libs/keys/src/quota/quota.service.js')).href);
  impls.push(['before', new before.QuotaService(createRedis(REDIS_URL))]);
  await new Promise((r) => setTimeout(r, 200)); // its client connects (fail-fast: no offline queue)
}
console.log(`QuotaService.charge, ${CHARGES} charges per row, real Redis (${new URL(REDIS_URL).host}).\n`);
console.log('| implementation | concurrency | CPU µs/charge | wall µs/charge |');
console.log('|---|---|---|---|');
for (const concurrency of [1, 16]) {
  for (const [label, quotas] of impls) {
    const r = await measure(quotas, concurrency);
    console.log(`| ${label} | ${concurrency} | ${r.cpuUs.toFixed(1)} | ${r.wallUs.toFixed(1)} |`);
  }
}
process.exit(0);
