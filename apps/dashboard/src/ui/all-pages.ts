import { useEffect, useState } from 'react';
import type { CombinedError } from 'urql';

/** The API's largest page for offset-paged lists. */
export const PAGE_SIZE = 100;

/** Every item of an offset-paged list (servers, groups, keys, users): pages of 100 until a short one. */
export async function loadAll<T>(page: (offset: number) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const items = await page(all.length);
    all.push(...items);
    if (items.length < PAGE_SIZE) return all;
  }
}

/** `loadAll` as a hook: reloads when `version` changes. */
export function useAll<T>(page: ((offset: number) => Promise<T[]>) | null, version = 0) {
  const [state, setState] = useState<{ items: T[] | null; error: CombinedError | Error | null }>({ items: null, error: null });
  useEffect(() => {
    if (!page) return;
    let current = true;
    loadAll(page).then(
      (items) => current && setState({ items, error: null }),
      (error: Error) => current && setState((s) => ({ items: s.items, error })),
    );
    return () => {
      current = false;
    };
    // `page` is a fresh closure each render; what it loads changes only with `version`.
  }, [version, page === null]);
  return state;
}
