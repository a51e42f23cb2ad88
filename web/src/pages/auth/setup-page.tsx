import { useState, type FormEvent } from 'react';
import { Navigate } from 'react-router-dom';
import { call, messageOf } from '../../api/client.js';
import { useSession, type SessionBody } from '../../api/session.js';
import { ErrorText } from '../../components/status.js';
import { AuthCard } from './auth-card.js';

/** First-run setup: the admin token printed at first start, then the admin's name, email and password. */
export function SetupPage() {
  const { state, adopt } = useSession();
  const [form, setForm] = useState({ admin_token: '', name: '', email: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (state.status === 'signed-in') return <Navigate to="/incidents" replace />;
  if (state.status === 'signed-out' && !state.setupNeeded) return <Navigate to="/sign-in" replace />;

  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      adopt(await call<SessionBody>('POST', 'setup', { body: form, expectUnauthorized: true }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Set up Tocsin">
      <p className="muted">
        Enter the admin token Tocsin printed when it first started (or TOCSIN_ADMIN_TOKEN), then choose the
        administrator&apos;s sign-in.
      </p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          Admin token
          <input type="password" autoComplete="off" required {...field('admin_token')} />
        </label>
        <label>
          Your name
          <input autoComplete="name" required {...field('name')} />
        </label>
        <label>
          Email
          <input type="email" autoComplete="username" required {...field('email')} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" required minLength={8} {...field('password')} />
        </label>
        <ErrorText>{error}</ErrorText>
        <button type="submit" className="primary" disabled={busy}>
          Create the administrator
        </button>
      </form>
    </AuthCard>
  );
}
