import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';

const UsersPage = lazy(() => import('./users-page.js').then((m) => ({ default: m.UsersPage })));
const UserPage = lazy(() => import('./user-page.js').then((m) => ({ default: m.UserPage })));
const TeamsPage = lazy(() => import('./teams-page.js').then((m) => ({ default: m.TeamsPage })));
const TeamPage = lazy(() => import('./team-page.js').then((m) => ({ default: m.TeamPage })));

/** People: users and teams. */
export const peopleRoutes: RouteObject[] = [
  { path: '/people', element: <Navigate to="/people/users" replace /> },
  { path: '/people/users', element: <UsersPage /> },
  { path: '/people/users/:id', element: <UserPage /> },
  { path: '/people/teams', element: <TeamsPage /> },
  { path: '/people/teams/:id', element: <TeamPage /> },
];
