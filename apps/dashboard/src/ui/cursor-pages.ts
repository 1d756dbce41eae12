import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';

export interface CursorPage<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface State<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  error: CombinedError | Error | null;
}

/**
 * A list read page by page with the API's cursors ("Load more"). `load` fetches the page after a cursor (null: the
 * first) and throws on error; a new `key` (the filters) starts over from the first page.
 */
export function useCursorPages<T>(load: (after: string | null) => Promise<CursorPage<T>>, key: string) {
  const [state, setState] = useState<State<T>>({ nodes: [], endCursor: null, hasNextPage: false, loading: true, error: null });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback(async (after: string | null, append: boolean) => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null, ...(append ? {} : { nodes: [], endCursor: null, hasNextPage: false }) }));
    try {
      const page = await loadRef.current(after);
      if (mine !== generation.current) return;
      setState((s) => ({ nodes: append ? [...s.nodes, ...page.nodes] : page.nodes, endCursor: page.endCursor, hasNextPage: page.hasNextPage, loading: false, error: null }));
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({ ...s, loading: false, error: error as Error }));
    }
  }, []);

  useEffect(() => {
    void fetchPage(null, false);
  }, [key, fetchPage]);

  return {
    ...state,
    loadMore: () => void fetchPage(state.endCursor, true),
    reload: () => void fetchPage(null, false),
  };
}
