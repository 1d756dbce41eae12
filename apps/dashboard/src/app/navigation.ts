import {
  IconActivity,
  IconBuildingStore,
  IconBell,
  IconCode,
  IconDatabaseExport,
  IconGauge,
  IconKey,
  IconListDetails,
  IconLock,
  IconServer2,
  IconShieldLock,
  IconStack2,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { Me } from '../session/session';

export interface NavItem {
  label: string;
  path: string;
  icon: Icon;
  /** Shown only to people this returns true for; the API decides what they may do either way. */
  visible?: (me: Me) => boolean;
  /** A heading shown above the first item of a run of items with the same section. */
  section?: string;
}

/** The sidebar, in order. Each domain folder adds its page here and its route in routes.tsx. */
export const NAVIGATION: NavItem[] = [
  { label: 'Overview', path: '/', icon: IconGauge },
  { label: 'Servers', path: '/servers', icon: IconServer2 },
  { label: 'Marketplace', path: '/marketplace', icon: IconBuildingStore },
  { label: 'Groups', path: '/groups', icon: IconStack2 },
  { label: 'API keys', path: '/keys', icon: IconKey },
  { label: 'My calls', path: '/calls', icon: IconActivity },
  { label: 'Audit log', path: '/audit', icon: IconListDetails, visible: (me) => me.role === 'ADMIN' || me.role === 'AUDITOR' },
  { label: 'Teams', path: '/teams', icon: IconUsersGroup },
  { label: 'Users', path: '/users', icon: IconUsers, visible: (me) => me.role === 'ADMIN' || me.role === 'AUDITOR' },
  // Everyone: admins back up the hub, everyone their own configuration.
  { label: 'Backups', path: '/backups', icon: IconDatabaseExport },
  { label: 'GraphQL explorer', path: '/explorer', icon: IconCode },
  // "Settings → Credentials" is where the hub's missing-credential errors send people.
  { label: 'Credentials', path: '/settings/credentials', icon: IconLock, section: 'Settings' },
  { label: 'Notifications', path: '/notifications', icon: IconBell, section: 'Settings' },
  { label: 'Encryption', path: '/settings/encryption', icon: IconShieldLock, section: 'Settings', visible: (me) => me.role === 'ADMIN' || me.role === 'AUDITOR' },
  { label: 'Profile', path: '/profile', icon: IconUserCircle, section: 'Settings' },
];
