// node bench/cpuprofile-summary.mjs <file.cpuprofile> [--from <s>] [--to <s>] [--top <n>] [--timeline]
// Summarises a V8 CPU profile (e.g. the hub run with BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"):
// busy time by package/file and by function (self), and by function inclusive. --timeline prints how busy each
// second of the profile was, to find the window of one bench target; --from/--to keep that window only. Idle
// samples are left out, so shares are of the CPU the process used.
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [--from <s>] [--to <s>] [--top <n>] [--timeline]');
  process.exit(1);
}
const option = (name, fallback) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest[i + 1]) : fallback;
};
const from = option('from', 0) * 1e6;
const to = option('to', Infinity) * 1e6;
const top = option('top', 30);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const isIdle = (id) => nodes.get(id).callFrame.functionName === '(idle)';

const where = (frame) => {
  const url = frame.url;
  if (!url) return `(${frame.functionName})`;
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.*)$/.exec(url);
  return dist ? dist[1] : url.replace(/^file:\/\//, '');
};
const label = (frame) => `${frame.functionName || '(anonymous)'} ${where(frame)}:${frame.lineNumber + 1}`;

if (rest.includes('--timeline')) {
  const seconds = [];
  let clock = 0;
  profile.samples.forEach((id, i) => {
    clock += profile.timeDeltas[i];
    const s = Math.floor(clock / 1e6);
    seconds[s] ??= 0;
    if (!isIdle(id)) seconds[s] += profile.timeDeltas[i];
  });
  seconds.forEach((busy, s) => console.log(`${String(s).padStart(4)} s  ${'#'.repeat(Math.round((busy ?? 0) / 2e4))} ${Math.round((busy ?? 0) / 1e4)}%`));
  process.exit(0);
}

const self = new Map();
let total = 0;
let clock = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i];
  clock += dt;
  if (clock < from || clock > to || isIdle(id)) return;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const byPackage = new Map();
const bySelf = new Map();
const byInclusive = new Map();
const add = (map, key, dt) => map.set(key, (map.get(key) ?? 0) + dt);
for (const [id, dt] of self) {
  const frame = nodes.get(id).callFrame;
  add(byPackage, where(frame), dt);
  add(bySelf, label(frame), dt);
  // Each function once per sample, however deep its recursion.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(nodes.get(cur).callFrame);
    if (!seen.has(l)) add(byInclusive, l, dt), seen.add(l);
  }
}
const print = (title, map) => {
  console.log(`\n## ${title}`);
  for (const [key, dt] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * dt) / total).toFixed(1).padStart(5)}%  ${key}`);
};
console.log(`${(total / 1e6).toFixed(2)} s of CPU sampled`);
print('self, by package or file', byPackage);
print('self, by function', bySelf);
print('inclusive, by function', byInclusive);
