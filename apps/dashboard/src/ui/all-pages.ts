import { useEffect, useState } from 'react';
import type { CombinedError } from 'urql';

/** The API's largest page. */
export const PAGE_SIZE = 100;

/** Every item of an offset-paged list (servers, groups): pages of 100 until a short one. */
export async function loadAll<T>(page: (offset: number) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const items = await page(all.length);
    all.push(...items);
    if (items.length < PAGE_SIZE) return all;
  }
}

export interface CursorPage<T> {
  nodes: T[];
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

/** Every item of a cursor-paged list (keys, users): follows endCursor while there is a next page. */
export async function loadAllPages<T>(page: (after: string | null) => Promise<CursorPage<T>>): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (;;) {
    const result: CursorPage<T> = await page(after);
    all.push(...result.nodes);
    if (!result.pageInfo.hasNextPage || !result.pageInfo.endCursor) return all;
    after = result.pageInfo.endCursor;
  }
}

/** Loads a whole list (with `loadAll` or `loadAllPages`); reloads when `version` changes. */
export function useAll<T>(load: (() => Promise<T[]>) | null, version = 0) {
  const [state, setState] = useState<{ items: T[] | null; error: CombinedError | Error | null }>({ items: null, error: null });
  useEffect(() => {
    if (!load) return;
    let current = true;
    load().then(
      (items) => current && setState({ items, error: null }),
      (error: Error) => current && setState((s) => ({ items: s.items, error })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; what it loads changes only with `version`.
  }, [version, load === null]);
  return state;
}
