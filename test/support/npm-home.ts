import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Points this process's HOME at a fresh directory whose .npmrc names the registry stand-in and a private cache. The
 * hub passes HOME (not npm_config_*) to stdio servers and to the npm pre-fetch, so both read this .npmrc: nothing
 * goes to the real registry, and the npx cache the pre-fetch fills is the one the server's `npx -y` reads.
 */
export async function useNpmHome(registryUrl: string): Promise<{ home: string; restore(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'mcphub-npm-home-'));
  const saved = process.env.HOME;
  await writeFile(
    join(home, '.npmrc'),
    [`registry=${registryUrl}`, `cache=${join(home, 'npm-cache')}`, 'update-notifier=false', 'audit=false', 'fund=false', 'loglevel=warn'].join('\n') + '\n',
  );
  process.env.HOME = home;
  return {
    home,
    async restore() {
      process.env.HOME = saved;
      await rm(home, { recursive: true, force: true });
    },
  };
}
