import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const PoliciesPage = lazy(() => import('./policies-page.js').then((m) => ({ default: m.PoliciesPage })));
const PolicyPage = lazy(() => import('./policy-page.js').then((m) => ({ default: m.PolicyPage })));

/** Escalation policies: the list, a new one, and one policy with its editor. */
export const policyRoutes: RouteObject[] = [
  { path: '/policies', element: <PoliciesPage /> },
  { path: '/policies/new', element: <PolicyPage /> },
  { path: '/policies/:id', element: <PolicyPage /> },
];
