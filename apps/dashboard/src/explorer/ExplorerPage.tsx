import 'graphiql/style.css';
import 'graphiql/setup-workers/vite';
import { useComputedColorScheme } from '@mantine/core';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo } from 'react';
import { accessToken } from '../session/token-store';

/**
 * GraphiQL, bundled (no CDN): the signed-in person's token is added to each request, so the explorer sees exactly
 * what that person may see and do.
 */
export default function ExplorerPage() {
  const scheme = useComputedColorScheme('light');
  useEffect(() => {
    document.title = 'GraphQL explorer · MCP Hub';
  }, []);
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: '/graphql',
        fetch: async (input, init) => {
          const token = await accessToken();
          const headers = new Headers(init?.headers);
          if (token) headers.set('authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      }),
    [],
  );
  return (
    <main style={{ height: '100vh' }}>
      <GraphiQL fetcher={fetcher} defaultTheme={scheme} defaultQuery={'# The hub\'s admin API. Ctrl+Enter runs the query.\nquery {\n  me { email role }\n}\n'} />
    </main>
  );
}
