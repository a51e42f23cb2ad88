import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/client.js';

/** Data loaded by an async function, its error, and a way to load it again. */
export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (after an action answered with the new object). */
  set: (data: T) => void;
}

/** Loads `load()` when `key` changes; an older answer never overwrites a newer one. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  // `load` is keyed by `key` on purpose: callers pass inline closures.
  const stable = useCallback(load, [key]);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    stable(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setError(messageOf(e));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [stable, round]);
  return { data, error, loading, reload: () => setRound((r) => r + 1), set: setData };
}
