import {
  IconBell,
  IconCode,
  IconStack2,
  IconServer2,
  IconKey,
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
  { label: 'Groups', path: '/groups', icon: IconStack2 },
  { label: 'Servers', path: '/servers', icon: IconServer2 },
  { label: 'API keys', path: '/keys', icon: IconKey },
  { label: 'Teams', path: '/teams', icon: IconUsersGroup },
  { label: 'Notifications', path: '/notifications', icon: IconBell },
  { label: 'Users', path: '/users', icon: IconUsers, visible: (me) => me.role === 'ADMIN' || me.role === 'AUDITOR' },
  { label: 'Profile', path: '/profile', icon: IconUserCircle },
  { label: 'GraphQL explorer', path: '/explorer', icon: IconCode },
];
