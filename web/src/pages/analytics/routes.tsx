import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

// Its own chunk (with recharts), so the charts never weigh on the incidents page.
const AnalyticsPage = lazy(() => import('./analytics-page.js').then((m) => ({ default: m.AnalyticsPage })));

/** Analytics: MTTA, MTTR, incident counts, notifications sent. */
export const analyticsRoutes: RouteObject[] = [{ path: '/analytics', element: <AnalyticsPage /> }];
