/** One entry of the main navigation. */
export interface NavItem {
  to: string;
  label: string;
}

/** The main navigation, in order; each area adds its entry here when its pages land. */
export const navItems: NavItem[] = [
  { to: '/incidents', label: 'Incidents' },
  { to: '/services', label: 'Services' },
];
