import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';

export const KeyListQuery = graphql(`
  query KeyList($first: Int, $after: String, $userId: ID) {
    apiKeys(first: $first, after: $after, userId: $userId) {
      nodes {
        id name prefix groupIds tags perMinute perDay expiresAt revokedAt lastUsedAt createdAt
        owner { id email displayName }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

export type ListedKey = ResultOf<typeof KeyListQuery>['apiKeys']['nodes'][number];

const PAGE_SIZE = 25;

/** The keys listing, a page at a time ("Load more" follows the API's cursor). `reload` starts over. */
export function useKeyList(userId: string | null) {
  const client = useClient();
  const [keys, setKeys] = useState<ListedKey[]>([]);
  const [endCursor, setEndCursor] = useState<string | null>(null);
  const [hasNextPage, setHasNextPage] = useState(false);
  const [fetching, setFetching] = useState(true);
  const [error, setError] = useState<CombinedError | null>(null);
  // Answers to an older request (another filter, a reload) are dropped.
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = after ? generation.current : ++generation.current;
      setFetching(true);
      // Starting over (another filter): never show the previous set's keys as if they were this one's.
      if (!after) setKeys([]);
      const result = await client.query(KeyListQuery, { first: PAGE_SIZE, after, userId }, { requestPolicy: 'network-only' }).toPromise();
      if (mine !== generation.current) return;
      setFetching(false);
      setError(result.error ?? null);
      if (!result.data) return;
      const page = result.data.apiKeys;
      setKeys((current) => (after ? [...current, ...page.nodes.filter((k) => !current.some((c) => c.id === k.id))] : page.nodes));
      setEndCursor(page.pageInfo.endCursor);
      setHasNextPage(page.pageInfo.hasNextPage);
    },
    [client, userId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return {
    keys,
    hasNextPage,
    fetching,
    error,
    loadMore: () => void load(endCursor),
    reload: () => void load(null),
    /** Shows a key as revoked where it is, without losing the pages loaded so far. */
    markRevoked: (id: string, revokedAt: string) => setKeys((current) => current.map((k) => (k.id === id ? { ...k, revokedAt } : k))),
  };
}
