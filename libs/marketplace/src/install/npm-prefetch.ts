import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShuttingDownError } from '#core';
import { minimalStdioEnv } from '#servers';

/** `name@version` (scoped or not) with nothing npm could read as an option or a path. */
const PACKAGE_SPEC = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*@[a-zA-Z0-9][a-zA-Z0-9.+_-]*$/;
export const PREFETCH_TIMEOUT_MS = 5 * 60_000;
/** npm's own retries wait 10 s and more: one short retry, so an unreachable registry fails in seconds, not minutes. */
const NPM_FLAGS = ['--fetch-retries=1', '--fetch-retry-mintimeout=500', '--fetch-retry-maxtimeout=2000', '--no-audit', '--no-fund', '--no-update-notifier'];

export type PrefetchPhase = 'RESOLVING' | 'DOWNLOADING';

export class PrefetchError extends Error {}

export const isPackageSpec = (spec: string): boolean => PACKAGE_SPEC.test(spec);

/**
 * Puts `spec` into the npx cache exactly where `npx -y <spec>` looks for it, so the server's first start needs no
 * download: `npm exec --package=<spec>` keys its install directory by the same package list. It runs with the
 * environment the server will get (minimalStdioEnv), so npm reads the same ~/.npmrc: same registry, same cache.
 * Failures say what went wrong in words: package not found, registry unreachable, or npm's own first error line.
 * When `signal` aborts (the process is stopping), npm is stopped and this rejects with a ShuttingDownError.
 */
export async function prefetchNpmPackage(
  spec: string,
  onProgress: (phase: PrefetchPhase, fetched: number) => void,
  { timeoutMs = PREFETCH_TIMEOUT_MS, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  if (!isPackageSpec(spec)) throw new PrefetchError(`"${spec}" is not an npm package name@version`);
  const cwd = await mkdtemp(join(tmpdir(), 'mcphub-prefetch-'));
  let fetched = 0;
  const counted = (phase: PrefetchPhase) => () => onProgress(phase, ++fetched);
  try {
    onProgress('RESOLVING', fetched);
    await npm(['view', spec, 'version', '--loglevel=http', ...NPM_FLAGS], cwd, counted('RESOLVING'), timeoutMs, signal);
    onProgress('DOWNLOADING', fetched);
    await npm(['exec', '--yes', `--package=${spec}`, '--loglevel=http', ...NPM_FLAGS, '--', 'node', '-e', ''], cwd, counted('DOWNLOADING'), timeoutMs, signal);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function npm(args: string[], cwd: string, onFetch: () => void, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ShuttingDownError());
    const child = spawn('npm', args, { cwd, env: minimalStdioEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-64 * 1024)));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString();
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (/^npm http fetch /.test(line)) onFetch();
        stderr = (stderr + line + '\n').slice(-64 * 1024);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      reject(new PrefetchError(`npm could not be started: ${error.message}`));
    });
    child.on('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) return reject(new ShuttingDownError());
      if (code === 0) return resolve(stdout);
      if (killedBy) return reject(new PrefetchError(`npm was stopped after ${Math.round(timeoutMs / 1000)} s (${killedBy})`));
      reject(new PrefetchError(explain(args[1] === 'exec' ? args[2].slice('--package='.length) : args[1], stderr + pending)));
    });
  });
}

/** npm's stderr as one sentence a person can act on. */
export function explain(spec: string, stderr: string): string {
  const code = /npm error code (\S+)/.exec(stderr)?.[1];
  const first = stderr.split('\n').find((l) => /^npm error (?!code )/.test(l))?.replace(/^npm error /, '').trim();
  if (code === 'E404' || code === 'ETARGET') return `npm package ${spec} was not found in the registry (${first ?? code})`;
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/.test(code)) {
    return `the npm registry could not be reached (${code}${first ? `: ${first}` : ''})`;
  }
  return `npm failed to fetch ${spec}${code ? ` (${code})` : ''}${first ? `: ${first}` : ''}`;
}
