import { authExchange } from '@urql/exchange-auth';
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';
import { accessToken, accessTokenIsFresh, clearTokens, currentAccessToken, hasSession } from '../session/token-store';

const isAuthError = (error: CombinedError) => error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');

/** graphql-ws carries the access token in connectionParams; a fresh one is read at every (re)connect. */
const ws = createWsClient({
  url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  connectionParams: async () => {
    const token = await accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  lazy: true,
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

/** Closes live subscriptions, so the next one reconnects with the current session's token. */
export function restartSubscriptions(): void {
  ws.terminate();
}

/** The one GraphQL client of the dashboard: HTTP for queries and mutations, graphql-ws for subscriptions. */
export const client = new Client({
  url: '/graphql',
  requestPolicy: 'cache-and-network',
  // POST only: the hub's CSRF protection refuses simple GET requests, and tokens never belong in URLs.
  preferGetMethod: false,
  exchanges: [
    cacheExchange,
    authExchange(async (utils) => {
      let token = await accessToken().catch(() => null);
      return {
        addAuthToOperation: (operation) => (token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation),
        // Before sending: the token is about to lapse, or another sign-in replaced it.
        willAuthError: () => hasSession() && (!accessTokenIsFresh() || token !== currentAccessToken()),
        didAuthError: isAuthError,
        async refreshAuth() {
          const current = currentAccessToken();
          token = current && current !== token && accessTokenIsFresh() ? current : await accessToken({ force: true }).catch(() => null);
          if (!token && hasSession()) clearTokens();
        },
      };
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});
