import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Suspense } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Provider as GraphQLProvider } from 'urql';
import { client } from '../graphql/client';
import { RequireSignIn } from '../session/RequireSignIn';
import { SessionProvider } from '../session/session';
import { CallbackPage } from '../sign-in/CallbackPage';
import { SignInPage } from '../sign-in/SignInPage';
import { Loading } from '../ui/Loading';
import { NotFoundPage } from './NotFoundPage';
import { FULL_WINDOW_ROUTES, SHELL_ROUTES } from './routes';
import { Shell } from './Shell';
import { cssVariablesResolver, theme } from './theme';

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/sign-in/callback', element: <CallbackPage /> },
  ...FULL_WINDOW_ROUTES.map((route) => ({
    ...route,
    element: (
      <RequireSignIn>
        <Suspense fallback={<Loading />}>{route.element}</Suspense>
      </RequireSignIn>
    ),
  })),
  {
    path: '/',
    element: (
      <RequireSignIn>
        <Shell />
      </RequireSignIn>
    ),
    children: [...SHELL_ROUTES, { path: '*', element: <NotFoundPage /> }],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications />
      <GraphQLProvider value={client}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </GraphQLProvider>
    </MantineProvider>
  );
}
