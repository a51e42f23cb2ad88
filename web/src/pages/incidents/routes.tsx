import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const IncidentsPage = lazy(() => import('./incidents-page.js').then((m) => ({ default: m.IncidentsPage })));
const IncidentPage = lazy(() => import('./incident-page.js').then((m) => ({ default: m.IncidentPage })));

/** Incidents: the live list and one incident. */
export const incidentRoutes: RouteObject[] = [
  { path: '/incidents', element: <IncidentsPage /> },
  { path: '/incidents/:id', element: <IncidentPage /> },
];
