import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PasswordChangePrompt } from '../sign-in/PasswordChangePrompt';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useSession } from './session';

/** Pages behind sign-in; a generated or admin-set password must be changed before anything else. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session.signedIn) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.error) return <ErrorNotice title="The hub cannot be reached" message={session.error} />;
  if (!session.me) {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (session.me.passwordChangeRequired) return <PasswordChangePrompt />;
  return <>{children}</>;
}
