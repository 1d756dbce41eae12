import {
  IconActivity,
  IconBuildingStore,
  IconBell,
  IconCode,
  IconDatabaseExport,
  IconGauge,
  IconKey,
  IconListDetails,
  IconServer2,
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
  { label: 'Backups', path: '/backups', icon: IconDatabaseExport, visible: (me) => me.role === 'ADMIN' },
  { label: 'Notifications', path: '/notifications', icon: IconBell },
  { label: 'Profile', path: '/profile', icon: IconUserCircle },
  { label: 'GraphQL explorer', path: '/explorer', icon: IconCode },
];
