import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../../api/session.js';
import { Loading } from '../../components/status.js';
import './connect.css';

/** The card the consent and install pages share; sends a signed-out visitor to sign in and back. */
export function ConnectCard({ title, children }: { title: string; children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-out') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return (
    <main id="main" className="auth-page connect-page">
      <section className="card auth-card connect-card" aria-labelledby="connect-title">
        <div className="brand auth-brand">
          <img src="/icons/icon.svg" alt="" width={32} height={32} />
          <span>Tocsin</span>
        </div>
        <h1 id="connect-title">{title}</h1>
        <p className="muted">Signed in as {state.user.name}</p>
        {children}
      </section>
    </main>
  );
}
