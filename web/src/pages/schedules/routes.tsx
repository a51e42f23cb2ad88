import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const SchedulesPage = lazy(() => import('./schedules-page.js').then((m) => ({ default: m.SchedulesPage })));
const NewSchedulePage = lazy(() =>
  import('./new-schedule-page.js').then((m) => ({ default: m.NewSchedulePage })),
);
const SchedulePage = lazy(() => import('./schedule-page.js').then((m) => ({ default: m.SchedulePage })));

/** Schedules: the list, a new one, and one schedule with its timeline and editor. */
export const scheduleRoutes: RouteObject[] = [
  { path: '/schedules', element: <SchedulesPage /> },
  { path: '/schedules/new', element: <NewSchedulePage /> },
  { path: '/schedules/:id', element: <SchedulePage /> },
];
