import type { ReactNode } from 'react';

/** The centred card the sign-in, setup and reset pages share. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <section className="card auth-card" aria-labelledby="auth-title">
        <div className="brand auth-brand">
          <img src="/icons/icon.svg" alt="" width={32} height={32} />
          <span>Tocsin</span>
        </div>
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
