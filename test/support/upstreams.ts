import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Real MCP servers from npm, run from node_modules with this Node (no npx download at run time). */
export const EVERYTHING_ENTRY = join(packageDir('@modelcontextprotocol/server-everything'), 'dist/index.js');
export const MEMORY_ENTRY = join(packageDir('@modelcontextprotocol/server-memory'), 'dist/index.js');

export const everythingStdio = () => ({ command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] });
export const memoryStdio = () => ({ command: process.execPath, args: [MEMORY_ENTRY] });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningUpstream {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** server-everything in its Streamable HTTP (`/mcp`) or SSE (`/sse`) mode on a free port; resolves once it listens. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<RunningUpstream> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 20_000);
    const onData = (chunk: Buffer) => {
      if (String(chunk).includes(String(port))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything ${mode} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        // Already gone (exited, or killed by a signal: then exitCode stays null and only signalCode is set).
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls until `check` returns a truthy value or the deadline passes (no fixed sleeps in specs). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
