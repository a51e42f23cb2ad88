import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const OnCallPage = lazy(() => import('./oncall-page.js').then((m) => ({ default: m.OnCallPage })));

/** On call now: every policy level and who holds it. */
export const onCallRoutes: RouteObject[] = [{ path: '/oncall', element: <OnCallPage /> }];
