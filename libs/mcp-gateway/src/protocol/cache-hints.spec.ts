import { NO_CACHE, cacheHintOf, mergeCacheHints } from './cache-hints.js';

describe('caching hints', () => {
  it('should read only valid hints from a result', () => {
    expect(cacheHintOf({ ttlMs: 500, cacheScope: 'public' })).toEqual({ ttlMs: 500, cacheScope: 'public' });
    expect(cacheHintOf({ ttlMs: -1, cacheScope: 'public' })).toBeUndefined();
    expect(cacheHintOf({ ttlMs: 1.5, cacheScope: 'public' })).toBeUndefined();
    expect(cacheHintOf({ ttlMs: 5, cacheScope: 'shared' })).toBeUndefined();
    expect(cacheHintOf({ tools: [] })).toBeUndefined();
  });

  it('should merge to the shortest lifetime and the narrowest scope', () => {
    expect(mergeCacheHints([{ ttlMs: 60_000, cacheScope: 'public' }, { ttlMs: 5_000, cacheScope: 'public' }])).toEqual({ ttlMs: 5_000, cacheScope: 'public' });
    expect(mergeCacheHints([{ ttlMs: 60_000, cacheScope: 'public' }, { ttlMs: 90_000, cacheScope: 'private' }])).toEqual({ ttlMs: 60_000, cacheScope: 'private' });
  });

  it('should never allow caching what an upstream did not allow', () => {
    expect(mergeCacheHints([{ ttlMs: 60_000, cacheScope: 'public' }, undefined])).toEqual(NO_CACHE);
    expect(mergeCacheHints([])).toEqual(NO_CACHE);
  });
});
