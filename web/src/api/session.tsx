import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, call, onUnauthorized, setCsrfToken } from './client.js';
import type { User } from './types.js';

/** What `POST /session`, `GET /session` and `POST /setup` answer. */
export interface SessionBody {
  user: User;
  csrf_token: string;
}

/** The signed-in person, or why there is none. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; setupNeeded: boolean }
  | { status: 'signed-in'; user: User };

/** The session and what changes it. */
export interface SessionContextValue {
  state: SessionState;
  /** Signs in with email and password; rejects with ApiError (401 bad credentials, 429 wait). */
  signIn: (email: string, password: string) => Promise<void>;
  /** Accepts a session body from another flow (first-run setup). */
  adopt: (body: SessionBody) => void;
  signOut: (everywhere?: boolean) => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function setupNeeded(): Promise<boolean> {
  try {
    const body = await call<{ needed: boolean }>('GET', 'setup', { expectUnauthorized: true });
    return body.needed;
  } catch {
    return false;
  }
}

/** Loads the session once (`GET /api/v2/session`) and keeps it; a 401 from any call signs out here. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const signedOut = useCallback(async () => {
    setCsrfToken(null);
    setState({ status: 'signed-out', setupNeeded: await setupNeeded() });
  }, []);

  const adopt = useCallback((body: SessionBody) => {
    setCsrfToken(body.csrf_token);
    setState({ status: 'signed-in', user: body.user });
  }, []);

  useEffect(() => {
    let live = true;
    call<SessionBody>('GET', 'session', { expectUnauthorized: true }).then(
      (body) => live && adopt(body),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status >= 500) console.error(error);
        void signedOut();
      },
    );
    onUnauthorized(() => void signedOut());
    return () => {
      live = false;
      onUnauthorized(null);
    };
  }, [adopt, signedOut]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      adopt,
      signIn: async (email, password) => {
        const body = await call<SessionBody>('POST', 'session', {
          body: { email, password },
          expectUnauthorized: true,
        });
        adopt(body);
      },
      signOut: async (everywhere = false) => {
        try {
          await call('DELETE', everywhere ? 'sessions' : 'session', { expectUnauthorized: true });
        } finally {
          await signedOut();
        }
      },
    }),
    [state, adopt, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context (inside SessionProvider). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user (only inside pages that require one). */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a signed-in user');
  return state.user;
}
