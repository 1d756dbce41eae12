import { describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { ownSignalFetch } from './own-signal-fetch.js';

describe(ownSignalFetch.name, () => {
  it('should give each request a signal of its own that aborts with the shared one, adding no listener to it', async () => {
    const given: AbortSignal[] = [];
    // Like fetch: a listener on the request's signal for as long as the request lives.
    const fetch = ownSignalFetch(async (_url, init) => {
      init!.signal!.addEventListener('abort', () => undefined);
      given.push(init!.signal!);
      return new Response('ok');
    });
    const shared = new AbortController();
    for (let i = 0; i < 20; i++) await fetch('http://127.0.0.1:9/', { method: 'POST', signal: shared.signal });
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    expect(new Set(given).size).toBe(20);
    shared.abort();
    expect(given.every((signal) => signal.aborted)).toBe(true);
  });
});
