import { lazy } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router-dom';

const ConsentPage = lazy(() => import('./consent-page.js').then((m) => ({ default: m.ConsentPage })));
const InstallPage = lazy(() => import('./install-page.js').then((m) => ({ default: m.InstallPage })));

/** `/login?next=…` (where the server sends signed-out visitors of the connect pages) is the sign-in page. */
function LoginAlias() {
  const { search } = useLocation();
  return <Navigate to={`/sign-in${search}`} replace />;
}

/**
 * The connect flow's pages, at the addresses apps send people to. The server checks the request and the
 * session before it serves them (src/apps/page-routes.ts); the pages check the session again.
 */
export const connectRoutes: RouteObject[] = [
  { path: '/oauth/authorize', element: <ConsentPage /> },
  { path: '/install/integration', element: <InstallPage /> },
  { path: '/login', element: <LoginAlias /> },
];
