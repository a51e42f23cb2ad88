import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ApiError, messageOf } from '../../api/client.js';
import { useSession } from '../../api/session.js';
import { ErrorText } from '../../components/status.js';
import { AuthCard } from './auth-card.js';

/** Where to go after signing in: the page that sent people here, else incidents. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/incidents';
}

/** Email and password sign-in (`POST /api/v2/session`). */
export function SignInPage() {
  const { state, signIn } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (state.status === 'signed-in') return <Navigate to={nextPath(location.search)} replace />;
  if (state.status === 'signed-out' && state.setupNeeded) return <Navigate to="/setup" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError('That email and password do not match.');
      else if (e instanceof ApiError && e.status === 429)
        setError('Too many attempts. Wait a little and try again.');
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Sign in to Tocsin">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorText>{error}</ErrorText>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <Link to="/forgot-password">Forgot your password?</Link>
      </form>
    </AuthCard>
  );
}
