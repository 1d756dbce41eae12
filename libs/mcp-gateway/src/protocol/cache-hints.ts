/** 2026-07-28 caching hints on list results and resources/read (SEP-2549). */
export interface CacheHint {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/** What the hub says when it cannot vouch for a result staying valid: do not reuse it, and never share it. */
export const NO_CACHE: CacheHint = { ttlMs: 0, cacheScope: 'private' };

/** The hints an upstream put on a result, if it gave valid ones. */
export function cacheHintOf(result: Record<string, unknown>): CacheHint | undefined {
  const { ttlMs, cacheScope } = result;
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 0) return undefined;
  if (cacheScope !== 'public' && cacheScope !== 'private') return undefined;
  return { ttlMs, cacheScope };
}

/**
 * Hints for a result built from several upstreams' results: the shortest lifetime, public only when every part
 * is public, and no caching at all when a part came without hints (a 2025-era server allowed nothing).
 */
export function mergeCacheHints(parts: readonly (CacheHint | undefined)[]): CacheHint {
  if (!parts.length || parts.some((p) => p === undefined)) return NO_CACHE;
  const hints = parts as CacheHint[];
  return {
    ttlMs: Math.min(...hints.map((h) => h.ttlMs)),
    cacheScope: hints.every((h) => h.cacheScope === 'public') ? 'public' : 'private',
  };
}
