import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { prefetchNpmPackage } from '../../libs/marketplace/src/install/npm-prefetch.js';
import { startNpmRegistryStandIn, type NpmRegistryStandIn } from '../support/npm-registry-stand-in.js';
import { useNpmHome } from '../support/npm-home.js';
import { ShuttingDownError } from '#core';
import { minimalStdioEnv } from '#servers';
import { waitFor } from '../support/upstreams.js';

const run = promisify(execFile);

describe(prefetchNpmPackage.name, () => {
  let registry: NpmRegistryStandIn;
  let home: Awaited<ReturnType<typeof useNpmHome>>;

  beforeAll(async () => {
    registry = await startNpmRegistryStandIn([
      { name: 'prefetch-dep', version: '1.0.0', files: { 'index.js': 'module.exports = 42;\n' } },
      {
        name: '@stand-in/hello',
        version: '1.2.3',
        bin: { hello: 'bin.js' },
        dependencies: { 'prefetch-dep': '^1.0.0' },
        files: { 'bin.js': '#!/usr/bin/env node\nconsole.log("hello " + require("prefetch-dep"));\n' },
      },
    ]);
    home = await useNpmHome(registry.url);
  });

  afterAll(async () => {
    await registry?.close();
    await home?.restore();
  });

  it('should fill the npx cache so that `npx -y` then runs the package without downloading it again', async () => {
    const seen: [string, number][] = [];
    await prefetchNpmPackage('@stand-in/hello@1.2.3', (phase, fetched) => seen.push([phase, fetched]));
    expect(seen[0]).toEqual(['RESOLVING', 0]);
    expect(seen.some(([phase]) => phase === 'DOWNLOADING')).toBe(true);
    // The packument, the dependency's and both tarballs at least.
    expect(seen.at(-1)![1]).toBeGreaterThanOrEqual(3);
    expect(registry.requests).toEqual(expect.arrayContaining(['/@stand-in/hello', '/prefetch-dep', '/@stand-in/hello/-/hello-1.2.3.tgz', '/prefetch-dep/-/prefetch-dep-1.0.0.tgz']));

    const before = registry.requests.length;
    // As the hub starts a catalog stdio server: npx with the server's minimal environment.
    const { stdout } = await run('npx', ['-y', '@stand-in/hello@1.2.3'], { env: minimalStdioEnv({}), cwd: home.home });
    expect(stdout.trim()).toBe('hello 42');
    // npx still revalidates the package's packument (it asks with preferOnline), but downloads no tarball.
    expect(registry.requests.slice(before).filter((p) => p.endsWith('.tgz'))).toEqual([]);
  });

  it('should say the package was not found when the registry has no such package or version', async () => {
    await expect(prefetchNpmPackage('no-such-package@1.0.0', () => undefined)).rejects.toThrow(/npm package no-such-package@1.0.0 was not found in the registry \(.*404/);
    await expect(prefetchNpmPackage('@stand-in/hello@9.9.9', () => undefined)).rejects.toThrow(/npm package @stand-in\/hello@9.9.9 was not found in the registry/);
  });

  it('should refuse a spec npm could read as an option or a path before running anything', async () => {
    await expect(prefetchNpmPackage('--registry=http://evil@1', () => undefined)).rejects.toThrow(/is not an npm package name@version/);
    await expect(prefetchNpmPackage('../x@1.0.0', () => undefined)).rejects.toThrow(/is not an npm package name@version/);
  });

  it('should stop npm at once and say so when the process stops (a registry that hangs)', async () => {
    registry.hold();
    const stopping = new AbortController();
    try {
      const prefetch = prefetchNpmPackage('held-package@1.0.0', () => undefined, { signal: stopping.signal });
      await waitFor(() => registry.held === 1, 20_000, 'npm to ask the registry');
      const started = Date.now();
      stopping.abort();
      await expect(prefetch).rejects.toBeInstanceOf(ShuttingDownError);
      expect(Date.now() - started).toBeLessThan(5_000);
      // npm is gone: its request to the registry was dropped with it.
      await waitFor(() => registry.held === 0, 5_000, 'npm\'s request to be dropped');
    } finally {
      registry.release();
    }
  });

  it('should say the registry could not be reached when nothing answers', async () => {
    await registry.close();
    const started = Date.now();
    await expect(prefetchNpmPackage('other-package@1.0.0', () => undefined)).rejects.toThrow(/the npm registry could not be reached \(ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
