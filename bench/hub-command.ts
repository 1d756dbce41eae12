// The hub process as `npm start` runs it: the node flags of package.json's start script (the Dockerfile's CMD has
// the same ones: test/integration/deploy-manifests.spec.ts checks), so the benches measure the hub as shipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HUB_MAIN = 'dist/apps/hub/src/main.js';

function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.split(/\s+/);
  const main = words.indexOf(HUB_MAIN);
  if (words[0] !== 'node' || main < 0) throw new Error(`package.json's start script is not "node [flags] ${HUB_MAIN}": ${scripts.start}`);
  return words.slice(1, main);
}

export const HUB_NODE_FLAGS = startFlags();

/** Arguments for `process.execPath`: the shipped flags, then `extra` (e.g. --cpu-prof), then the hub's main file. */
export function hubArgs(extra: string[] = [], main = HUB_MAIN): string[] {
  return [...HUB_NODE_FLAGS, ...extra, main];
}
