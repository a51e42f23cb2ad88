import { Suspense } from 'react';
import { Navigate, useLocation, useRoutes, type RouteObject } from 'react-router-dom';
import { useSession } from './api/session.js';
import { Loading } from './components/status.js';
import { authRoutes } from './pages/auth/routes.js';
import { connectRoutes } from './pages/connect/routes.js';
import { incidentRoutes } from './pages/incidents/routes.js';
import { serviceRoutes } from './pages/services/routes.js';
import { adminRoutes } from './pages/admin/routes.js';
import { analyticsRoutes } from './pages/analytics/routes.js';
import { onCallRoutes } from './pages/oncall/routes.js';
import { peopleRoutes } from './pages/people/routes.js';
import { policyRoutes } from './pages/policies/routes.js';
import { profileRoutes } from './pages/profile/routes.js';
import { scheduleRoutes } from './pages/schedules/routes.js';
import { Layout } from './shell/layout.js';

/**
 * Pages that need a signed-in user, shown inside the app shell. Each area keeps its routes in
 * `pages/<area>/routes.tsx` (lazy pages, so each area is its own chunk) and is listed here once.
 */
const signedInRoutes: RouteObject[] = [
  ...incidentRoutes,
  ...serviceRoutes,
  ...onCallRoutes,
  ...scheduleRoutes,
  ...policyRoutes,
  ...peopleRoutes,
  ...profileRoutes,
  ...analyticsRoutes,
  ...adminRoutes,
];

/** Pages without the shell that anyone may open; areas add theirs here (e.g. OAuth consent). */
const publicRoutes: RouteObject[] = [...authRoutes, ...connectRoutes];

/** Shows its children to a signed-in user; sends others to sign in (or setup) and back afterwards. */
function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-out') {
    if (state.setupNeeded) return <Navigate to="/setup" replace />;
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return <Layout />;
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}

/** The app's routes. */
export function AppRoutes() {
  const element = useRoutes([
    ...publicRoutes,
    {
      element: <RequireSession />,
      children: [
        { path: '/', element: <Navigate to="/incidents" replace /> },
        ...signedInRoutes,
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
  return <Suspense fallback={<Loading />}>{element}</Suspense>;
}
