import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a first visit downloads before the page can run: the entry script and the modules it preloads. */
const BUDGET_GZIP_BYTES = 300 * 1024;
const DIST = join(process.cwd(), 'dist', 'dashboard');

function initialScripts(indexHtml: string): string[] {
  const refs = [...indexHtml.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

describe('dashboard bundle (built by `npm run build:dashboard`, which `npm test` runs first)', () => {
  const index = join(DIST, 'index.html');

  it('is built', () => {
    expect(existsSync(index)).toBe(true);
  });

  it(`keeps the initial JavaScript within ${BUDGET_GZIP_BYTES / 1024} KB gzipped`, () => {
    const scripts = initialScripts(readFileSync(index, 'utf8'));
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = Object.fromEntries(scripts.map((file) => [file, gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    // On failure the per-file sizes say where the weight is.
    expect({ total, within: total <= BUDGET_GZIP_BYTES, sizes }).toMatchObject({ within: true });
  });

  it('splits pages, the explorer and the charts out of the initial bundle', () => {
    const scripts = initialScripts(readFileSync(index, 'utf8'));
    const all = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(all.length).toBeGreaterThan(scripts.length);
    // GraphiQL's editor (Monaco) is megabytes: it must only load on the explorer page.
    expect(all.some((f) => f.startsWith('assets/monaco-editor') || f.startsWith('monaco-editor'))).toBe(true);
    expect(scripts.filter((f) => f.includes('monaco'))).toEqual([]);
  });
});
