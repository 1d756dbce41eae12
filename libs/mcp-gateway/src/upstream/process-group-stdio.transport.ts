import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MessageTooLargeError } from '#servers';
import { BoundedLineReader, type OversizedLine } from './bounded-line-reader.js';

const KILL_GRACE_MS = 2_000;
const STDERR_LINES_KEPT = 20;
/** Process groups still alive, killed synchronously if the hub exits without a clean shutdown. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Bound on one stdout line (one JSON-RPC message). */
  maxMessageBytes: number;
}

/**
 * MCP stdio client transport that runs the server in its own process group, so stopping it stops the whole tree
 * (an `npx` wrapper and the server it spawned), and that keeps the tail of stderr to explain a crash.
 */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcessWithoutNullStreams;
  private readonly reader: BoundedLineReader;
  private readonly stderrTail: string[] = [];
  private exited?: Promise<void>;
  private corked = false;
  private turnStarted = false;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(private readonly launch: StdioLaunch) {
    this.reader = new BoundedLineReader(
      launch.maxMessageBytes,
      (line) => this.receive(line),
      (oversized) => this.oversized(oversized),
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Last lines the server wrote to stderr: the usual explanation of a failed start. */
  get stderr(): string {
    return this.stderrTail.join('\n');
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.launch.command, this.launch.args, {
        env: this.launch.env,
        cwd: this.launch.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('close', () => done()));
      // 'on', not 'once': a later failure (a signal that cannot be delivered) must not go unhandled either.
      child.on('error', (error) => {
        if (child.pid) liveGroups.delete(child.pid);
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        liveGroups.add(child.pid!);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        if (child.pid) {
          // The leader is gone; stragglers in its group go with it.
          killGroup(child.pid, 'SIGKILL');
          liveGroups.delete(child.pid);
        }
      });
      child.once('close', () => this.onclose?.());
      // A stream handler that throws, or a stream 'error' without a listener, would take the whole hub down.
      child.stdout.on('data', (chunk: Buffer) => this.reader.push(chunk));
      child.stdout.on('error', (error) => this.onerror?.(error));
      child.stderr.on('error', () => undefined); // stderr only explains crashes; losing it is harmless
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          this.stderrTail.push(line.slice(0, 500));
          if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
        }
      });
      child.stdin.on('error', (error) => this.onerror?.(error));
    });
  }

  private receive(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onerror?.(new Error(`stdout line is not JSON: ${(error as Error).message}`));
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.onerror?.(new Error('stdout line is not a JSON-RPC message'));
      return;
    }
    try {
      this.onmessage?.(message as JSONRPCMessage);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  /** One line over the bound: the call it answered fails; if the line never ended, the process is replaced. */
  private oversized({ id, resynchronised }: OversizedLine): void {
    this.onerror?.(new MessageTooLargeError(this.launch.maxMessageBytes, id, resynchronised));
    if (!resynchronised) void this.close();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('process is not running'));
    // The first message of an event-loop turn leaves at once (latency); later ones in the same turn are corked
    // and leave together in one writev (a pipe write and the child's wake-up cost more than the message).
    if (!this.turnStarted) {
      this.turnStarted = true;
      setImmediate(() => {
        this.turnStarted = false;
        if (this.corked) {
          this.corked = false;
          stdin.uncork();
        }
      });
    } else if (!this.corked) {
      this.corked = true;
      stdin.cork();
    }
    if (stdin.write(serializeMessage(message))) return Promise.resolve();
    return new Promise((resolve) => stdin.once('drain', () => resolve()));
  }

  /** Ends stdin, then SIGTERM to the group, then SIGKILL after a grace period. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child?.pid || this.exitCode !== null || this.exitSignal !== null) return this.exited;
    child.stdin.end();
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
