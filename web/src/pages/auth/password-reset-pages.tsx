import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { call, messageOf } from '../../api/client.js';
import { ErrorText } from '../../components/status.js';
import { AuthCard } from './auth-card.js';

/** Asks for a reset link by email (`POST /api/v2/password_reset`, always 202). */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await call('POST', 'password_reset', { body: { email }, expectUnauthorized: true });
      setSent(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <AuthCard title="Reset your password">
      {sent ? (
        <p role="status">If {email} has an account, a link to set a new password is on its way.</p>
      ) : (
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
          <ErrorText>{error}</ErrorText>
          <button type="submit" className="primary">
            Email me a link
          </button>
        </form>
      )}
      <Link to="/sign-in">Back to sign in</Link>
    </AuthCard>
  );
}

/** Sets a new password from the emailed link (`POST /api/v2/password_reset/complete`). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) return setError('The two passwords differ.');
    try {
      await call('POST', 'password_reset/complete', { body: { token, password }, expectUnauthorized: true });
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <AuthCard title="Choose a new password">
      {done ? (
        <p role="status">
          Your password is set and every other session is signed out. <Link to="/sign-in">Sign in</Link>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          {!token && <ErrorText>This link has no token; ask for a new one.</ErrorText>}
          <label>
            New password
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label>
            Repeat it
            <input
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
          <ErrorText>{error}</ErrorText>
          <button type="submit" className="primary" disabled={!token}>
            Set password
          </button>
        </form>
      )}
    </AuthCard>
  );
}
