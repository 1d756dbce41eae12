import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql/graphql';
import { restartSubscriptions } from '../graphql/client';
import { clearTokens, hasSession, onSessionChange, storeTokens, type AuthPayloadTokens } from './token-store';

export const MeQuery = graphql(`
  query Me {
    me { id email displayName role passwordChangeRequired }
  }
`);

const SignOutMutation = graphql(`
  mutation SignOut { signOut }
`);

export type Me = ResultOf<typeof MeQuery>['me'];

interface Session {
  signedIn: boolean;
  me: Me | null;
  /** The hub could not tell who we are (network down); distinct from "not signed in". */
  error: string | null;
  signIn(tokens: AuthPayloadTokens): void;
  signOut(): Promise<void>;
  refetchMe(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const signedIn = useSyncExternalStore(onSessionChange, hasSession);
  const [me, refetch] = useQuery({ query: MeQuery, pause: !signedIn, requestPolicy: 'network-only' });
  const [, signOutMutation] = useMutation(SignOutMutation);

  // Another identity (or none): nothing cached for the previous one may show, and live subscriptions reconnect.
  useEffect(() => onSessionChange(restartSubscriptions), []);

  const value = useMemo<Session>(
    () => ({
      signedIn,
      me: signedIn ? (me.data?.me ?? null) : null,
      error: me.error && !me.data ? me.error.message : null,
      signIn(tokens) {
        storeTokens(tokens);
      },
      async signOut() {
        await signOutMutation({}).catch(() => undefined);
        clearTokens();
        // A fresh client cache is the simplest way to forget everything the previous session could see.
        location.assign('/sign-in');
      },
      refetchMe: () => refetch({ requestPolicy: 'network-only' }),
    }),
    [signedIn, me.data, me.error, refetch, signOutMutation],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

