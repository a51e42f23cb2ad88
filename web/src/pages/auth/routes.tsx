import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import { SignInPage } from './sign-in-page.js';

const SetupPage = lazy(() => import('./setup-page.js').then((m) => ({ default: m.SetupPage })));
const ForgotPasswordPage = lazy(() =>
  import('./password-reset-pages.js').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('./password-reset-pages.js').then((m) => ({ default: m.ResetPasswordPage })),
);

/** Pages anyone may open (no session needed). */
export const authRoutes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/setup', element: <SetupPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
];
