import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * `fetch` with a signal of each request's own that follows the one it was given. The SDK's client transports pass
 * one signal to every request of a connection, and fetch adds a listener to it per request that only garbage
 * collection removes: a connection making thousands of calls fills the log with Node's leak warnings.
 * (AbortSignal.any holds its sources without listeners.)
 */
export function ownSignalFetch(fetch: FetchLike): FetchLike {
  return (url, init) => fetch(url, init?.signal ? { ...init, signal: AbortSignal.any([init.signal]) } : init);
}
