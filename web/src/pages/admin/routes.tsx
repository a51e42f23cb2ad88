import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';

const AdminPage = lazy(() => import('./admin-page.js').then((m) => ({ default: m.AdminPage })));

/** Admin pages: webhooks, providers, account tokens, audit log, OAuth apps. */
export const adminRoutes: RouteObject[] = [
  { path: '/admin', element: <Navigate to="/admin/webhooks" replace /> },
  { path: '/admin/:tab', element: <AdminPage /> },
];
