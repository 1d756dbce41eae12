import { lazy } from 'react';
import type { RouteObject } from 'react-router';

// Every page is its own chunk: the first load carries only the shell and the page opened.
const ProfilePage = lazy(() => import('../profile/ProfilePage'));
const ExplorerPage = lazy(() => import('../explorer/ExplorerPage'));
const GroupsPage = lazy(() => import('../groups/GroupsPage'));
const GroupPage = lazy(() => import('../groups/GroupPage'));
const ServersPage = lazy(() => import('../servers/ServersPage'));
const RegisterServerPage = lazy(() => import('../servers/RegisterServerPage'));
const ServerDetailPage = lazy(() => import('../servers/ServerDetailPage'));
const KeysPage = lazy(() => import('../keys/KeysPage'));
const NewKeyPage = lazy(() => import('../keys/NewKeyPage'));
const KeyPage = lazy(() => import('../keys/KeyPage'));
const UsersPage = lazy(() => import('../users/UsersPage'));
const TeamsPage = lazy(() => import('../users/teams/TeamsPage'));
const TeamPage = lazy(() => import('../users/teams/TeamPage'));
const NotificationChannelsPage = lazy(() => import('../alerts/NotificationChannelsPage'));
const ChannelPage = lazy(() => import('../alerts/ChannelPage'));
const StatusPage = lazy(() => import('../status/StatusPage'));
const AuditPage = lazy(() => import('../audit/AuditPage'));
const CallsPage = lazy(() => import('../calls/CallsPage'));
const MarketplacePage = lazy(() => import('../marketplace/MarketplacePage'));
const CredentialsPage = lazy(() => import('../credentials/CredentialsPage'));
const EncryptionPage = lazy(() => import('../settings/EncryptionPage'));
const BackupsPage = lazy(() => import('../backups/BackupsPage'));

/** Pages inside the signed-in shell. Paths mirror the domain folders (servers, groups, keys, …). */
export const SHELL_ROUTES: RouteObject[] = [
  { index: true, element: <StatusPage /> },
  { path: 'profile', element: <ProfilePage /> },
  { path: 'groups', element: <GroupsPage /> },
  { path: 'groups/:slug', element: <GroupPage /> },
  { path: 'servers', element: <ServersPage /> },
  { path: 'servers/new', element: <RegisterServerPage /> },
  { path: 'servers/:id', element: <ServerDetailPage /> },
  { path: 'marketplace', element: <MarketplacePage /> },
  { path: 'keys', element: <KeysPage /> },
  { path: 'keys/new', element: <NewKeyPage /> },
  { path: 'keys/:id', element: <KeyPage /> },
  { path: 'users', element: <UsersPage /> },
  { path: 'teams', element: <TeamsPage /> },
  { path: 'teams/:id', element: <TeamPage /> },
  { path: 'notifications', element: <NotificationChannelsPage /> },
  { path: 'notifications/:id', element: <ChannelPage /> },
  { path: 'calls', element: <CallsPage /> },
  { path: 'audit', element: <AuditPage /> },
  { path: 'settings/credentials', element: <CredentialsPage /> },
  { path: 'settings/encryption', element: <EncryptionPage /> },
  { path: 'backups', element: <BackupsPage /> },
];

/** Full-window pages behind sign-in (no shell around them). */
export const FULL_WINDOW_ROUTES: RouteObject[] = [{ path: 'explorer', element: <ExplorerPage /> }];
