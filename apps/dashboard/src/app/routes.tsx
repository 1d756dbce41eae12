import { lazy } from 'react';
import type { RouteObject } from 'react-router';

// Every page is its own chunk: the first load carries only the shell and the page opened.
const ProfilePage = lazy(() => import('../profile/ProfilePage'));
const ExplorerPage = lazy(() => import('../explorer/ExplorerPage'));
const StatusPage = lazy(() => import('../status/StatusPage'));
const AuditPage = lazy(() => import('../audit/AuditPage'));
const CallsPage = lazy(() => import('../calls/CallsPage'));

/** Pages inside the signed-in shell. Paths mirror the domain folders (servers, groups, keys, …). */
export const SHELL_ROUTES: RouteObject[] = [
  { index: true, element: <StatusPage /> },
  { path: 'profile', element: <ProfilePage /> },
  { path: 'calls', element: <CallsPage /> },
  { path: 'audit', element: <AuditPage /> },
];

/** Where `/` leads until the status overview is the index page; null when a route has `index: true`. */
export const HOME_PATH: string | null = null;

/** Full-window pages behind sign-in (no shell around them). */
export const FULL_WINDOW_ROUTES: RouteObject[] = [{ path: 'explorer', element: <ExplorerPage /> }];
