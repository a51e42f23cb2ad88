import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ServicesPage = lazy(() => import('./services-page.js').then((m) => ({ default: m.ServicesPage })));
const ServicePage = lazy(() => import('./service-page.js').then((m) => ({ default: m.ServicePage })));

/** Services: the list and one service with its tabs. */
export const serviceRoutes: RouteObject[] = [
  { path: '/services', element: <ServicesPage /> },
  { path: '/services/:id', element: <ServicePage /> },
  { path: '/services/:id/:tab', element: <ServicePage /> },
];
