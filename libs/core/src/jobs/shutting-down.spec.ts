import { describe, expect, it } from '@jest/globals';
import { ShuttingDownError, untilAborted } from './shutting-down.js';

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
