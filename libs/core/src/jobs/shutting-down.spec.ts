import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ShuttingDownError, untilAborted } from './shutting-down.js';

const run = promisify(execFile);

describe('untilAborted', () => {
  it("should pass the work's outcome through while the signal stays quiet", async () => {
    await expect(untilAborted(Promise.resolve('done'), new AbortController().signal)).resolves.toBe('done');
    await expect(untilAborted(Promise.reject(new Error('broke')), new AbortController().signal)).rejects.toThrow('broke');
  });

  it('should give up on work still pending as soon as the signal aborts', async () => {
    const stopping = new AbortController();
    const waiting = untilAborted(new Promise(() => {}), stopping.signal);
    stopping.abort();
    await expect(waiting).rejects.toBeInstanceOf(ShuttingDownError);
  });

  it('should give up at once when the signal has already aborted', async () => {
    const stopping = new AbortController();
    stopping.abort();
    await expect(untilAborted(Promise.resolve('late'), stopping.signal)).rejects.toThrow('shutting down');
  });
});

describe('stoppingController', () => {
  // In a process of its own: Node's leak warnings go to the real process, which specs do not see.
  it('should let hundreds of jobs wait on one signal without a leak warning, and end them all', async () => {
    const script = `
      import { ShuttingDownError, stoppingController, untilAborted } from ${JSON.stringify(new URL('./shutting-down.ts', import.meta.url).pathname)};
      process.on('warning', (warning) => console.log(warning.name));
      const stopping = stoppingController();
      const waiting = Array.from({ length: 200 }, () => untilAborted(new Promise(() => {}), stopping.signal).then(() => 'done', (e) => e instanceof ShuttingDownError ? 'stopped' : String(e)));
      stopping.abort();
      const outcomes = new Set(await Promise.all(waiting));
      setImmediate(() => console.log([...outcomes].join()));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(stdout.trim().split('\n')).toEqual(['stopped']);
  });
});
