import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './upstreams.js';

/**
 * A redis-server of the spec's own on a free loopback port, without persistence, that the spec may kill, stall
 * (SIGSTOP) and restart empty. Never the shared Redis.
 */
export interface PrivateRedis {
  url(db?: number): string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: connections drop at once, every key is gone. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the connection stays open but nothing answers. */
  stall(): void;
  resume(): void;
  /** Resumes a stalled server and starts a killed one; a running one is left as it is. */
  ensureUp(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A child killed by a signal keeps exitCode null: only both unset means it runs. */
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redis: PrivateRedis = {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await accepts(port))) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`private redis-server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async kill() {
      const running = child;
      if (!running || !alive(running)) return;
      const exited = new Promise((r) => running.once('exit', r));
      running.kill('SIGCONT');
      running.kill('SIGKILL');
      await exited;
    },
    stall: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async ensureUp() {
      if (child && alive(child)) child.kill('SIGCONT');
      else await redis.start();
    },
  };
  await redis.start();
  return redis;
}
