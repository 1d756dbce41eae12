import {
  IconActivity,
  IconCode,
  IconGauge,
  IconListDetails,
  IconUserCircle,
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
  { label: 'Profile', path: '/profile', icon: IconUserCircle },
  { label: 'My calls', path: '/calls', icon: IconActivity },
  { label: 'Audit log', path: '/audit', icon: IconListDetails, visible: (me) => me.role === 'ADMIN' || me.role === 'AUDITOR' },
  { label: 'GraphQL explorer', path: '/explorer', icon: IconCode },
];
