import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ProfilePage = lazy(() => import('./profile-page.js').then((m) => ({ default: m.ProfilePage })));

/** My profile: contact methods, notification and handoff rules, push on this device, API tokens. */
export const profileRoutes: RouteObject[] = [{ path: '/profile', element: <ProfilePage /> }];
