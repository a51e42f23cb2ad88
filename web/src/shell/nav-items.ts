/** One entry of the main navigation. */
export interface NavItem {
  to: string;
  label: string;
  /** Shown to admins only. */
  adminOnly?: boolean;
}

/** The main navigation, in order; each area adds its entry here when its pages land. */
export const navItems: NavItem[] = [
  { to: '/incidents', label: 'Incidents' },
  { to: '/services', label: 'Services' },
  { to: '/oncall', label: 'On call' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/policies', label: 'Policies' },
  { to: '/people', label: 'People' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/profile', label: 'My profile' },
  { to: '/admin', label: 'Admin', adminOnly: true },
];
