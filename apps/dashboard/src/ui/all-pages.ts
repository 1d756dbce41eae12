import { useEffect, useState } from 'react';
import type { CombinedError } from 'urql';
import type { CursorPage } from './cursor-pages';

/** The API's largest page for offset-paged lists. */
export const PAGE_SIZE = 100;

/** Every item of an offset-paged list (servers, groups, users): pages of 100 until a short one. */
export async function loadAll<T>(page: (offset: number) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const items = await page(all.length);
    all.push(...items);
    if (items.length < PAGE_SIZE) return all;
  }
}

/** Every item of a cursor-paged list (API keys): pages of 100, following endCursor. */
export async function loadAllAfter<T>(page: (after: string | null) => Promise<CursorPage<T>>): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (;;) {
    const { nodes, endCursor, hasNextPage }: CursorPage<T> = await page(after);
    all.push(...nodes);
    if (!hasNextPage || !endCursor) return all;
    after = endCursor;
  }
}

/** `loadAll` as a hook: reloads when `version` changes. */
export function useAll<T>(page: ((offset: number) => Promise<T[]>) | null, version = 0) {
  return useLoaded(page && (() => loadAll(page)), version);
}

/** `loadAllAfter` as a hook: reloads when `version` changes. */
export function useAllAfter<T>(page: ((after: string | null) => Promise<CursorPage<T>>) | null, version = 0) {
  return useLoaded(page && (() => loadAllAfter(page)), version);
}

function useLoaded<T>(load: (() => Promise<T[]>) | null, version: number) {
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
