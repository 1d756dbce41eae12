import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ = 100 on Linux

/** User + system CPU time of a process, in microseconds (from /proc). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** The whole machine's busy and total CPU time so far, in ticks (from /proc/stat): who else was using the cores. */
export function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU used since a meter was started, in microseconds, and how busy the whole machine was meanwhile. */
export interface CpuUsed {
  serving: number;
  /** One figure per upstream pid given, in that order; 0 for one that ended meanwhile (its /proc entry is gone). */
  upstream: number[];
  /** This process (the load generator). */
  client: number;
  /** Of all the machine's cores: 100 % = CPU-bound. */
  machineBusyPercent: number;
}

/**
 * Starts reading the CPU of the serving processes (one hub, or all the hubs behind a balancer), of the processes they
 * pass work on to, of this process and of the machine; `read()` gives what each used since (`serving`: their sum).
 */
export function cpuMeter(servingPids: number[], upstreamPids: number[]): { read(): CpuUsed } {
  const ownCpu = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  const alive = (upstream: number): number | undefined => {
    try {
      return cpuMicros(upstream);
    } catch {
      return undefined;
    }
  };
  const serving = () => servingPids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const start = { serving: serving(), upstream: upstreamPids.map(alive), client: ownCpu(), machine: machineTicks() };
  return {
    read() {
      const machine = machineTicks();
      return {
        serving: serving() - start.serving,
        upstream: upstreamPids.map((upstream, i) => {
          const [before, now] = [start.upstream[i], alive(upstream)];
          return before === undefined || now === undefined ? 0 : now - before;
        }),
        client: ownCpu() - start.client,
        machineBusyPercent: (100 * (machine.busy - start.machine.busy)) / Math.max(1, machine.total - start.machine.total),
      };
    },
  };
}

/** The direct children of a process (e.g. the stdio servers a hub spawned). */
export function childPids(pid: number): number[] {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** Spawns a process and resolves when its output contains `ready`. */
export function start(command: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 60_000, cwd?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} not ready:\n${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (ready.test(output)) {
        clearTimeout(timer);
        // Stop collecting (a long run's logs would grow without bound) but keep draining the pipes.
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}
