import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';

export interface CursorPage<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface State<T> {
  /** The filters these rows were read with. */
  key: string;
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  error: CombinedError | Error | null;
}

/**
 * A list read page by page with the API's cursors ("Load more"). `load` fetches the page after a cursor (null: the
 * first) and throws on error; a new `key` (the filters) starts over from the first page, and rows read with other
 * filters are never shown as if they matched the new ones.
 */
export function useCursorPages<T>(load: (after: string | null) => Promise<CursorPage<T>>, key: string) {
  const [state, setState] = useState<State<T>>({ key, nodes: [], endCursor: null, hasNextPage: false, loading: true, error: null });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback(async (forKey: string, after: string | null) => {
    const mine = ++generation.current;
    setState((s) => (after && s.key === forKey ? { ...s, loading: true, error: null } : { key: forKey, nodes: [], endCursor: null, hasNextPage: false, loading: true, error: null }));
    try {
      const page = await loadRef.current(after);
      if (mine !== generation.current) return;
      setState((s) => ({ key: forKey, nodes: after ? [...s.nodes, ...page.nodes] : page.nodes, endCursor: page.endCursor, hasNextPage: page.hasNextPage, loading: false, error: null }));
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({ ...s, key: forKey, loading: false, error: error as Error }));
    }
  }, []);

  useEffect(() => {
    void fetchPage(key, null);
  }, [key, fetchPage]);

  const current = state.key === key;
  return {
    nodes: current ? state.nodes : [],
    hasNextPage: current && state.hasNextPage,
    loading: !current || state.loading,
    error: current ? state.error : null,
    loadMore: () => void fetchPage(key, state.endCursor),
    reload: () => void fetchPage(key, null),
  };
}
