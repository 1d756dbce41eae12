import { setMaxListeners } from 'node:events';

/** What work given up because its process began to shut down fails with (a job's `stopping` signal). */
export class ShuttingDownError extends Error {
  constructor() {
    super('stopped: the process is shutting down');
  }
}

/**
 * The controller of a signal that aborts when the process begins to stop. Every job or connection attempt under way
 * listens to it (each removes its listener when done), so it may have hundreds at once: past 10, Node would warn of a
 * leak that is not one.
 */
export function stoppingController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** `work`'s outcome, or a ShuttingDownError as soon as `signal` aborts (the work itself goes on). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new ShuttingDownError());
  let stop = () => {};
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(new ShuttingDownError());
    signal.addEventListener('abort', stop, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', stop));
}
