import { useCallback, useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { useLiveEntries } from '../../api/live.js';
import type { Incident, User } from '../../api/types.js';
import { listQuery, matches, type IncidentFilters } from './incident-filters.js';

/** The incidents matching the filters, kept current by the live stream. */
export interface LiveIncidents {
  incidents: Incident[];
  loading: boolean;
  error: string | null;
  connected: boolean;
  reload: () => void;
}

/** At most this many changed incidents are fetched one by one; a bigger burst refetches the list. */
const ONE_BY_ONE = 20;

function sortNewestFirst(list: Incident[]): Incident[] {
  return list.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}

/**
 * Loads the list once, then applies live changes: each batch of new log entries names the incidents
 * that changed; they are fetched again (in one go per 100 ms) and put in, updated, or dropped.
 */
export function useLiveIncidents(filters: IncidentFilters, user: User): LiveIncidents {
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const pending = useRef(new Set<string>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const key = JSON.stringify(filters);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listAll<'incidents', Incident>(
      'incidents',
      'incidents',
      listQuery(filters, user),
      5000,
      controller.signal,
    ).then(
      (list) => {
        setIncidents(list);
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
    // `key` stands for `filters`.
  }, [key, user, round]);

  const flush = useCallback(async () => {
    const ids = [...pending.current];
    pending.current.clear();
    if (ids.length > ONE_BY_ONE) return setRound((r) => r + 1);
    const fetched = await Promise.all(
      ids.map((id) =>
        api.get<{ incident: Incident }>(`incidents/${id}`).then(
          (b) => b.incident,
          () => undefined,
        ),
      ),
    );
    let refetch = false;
    setIncidents((current) => {
      const byId = new Map(current.map((i) => [i.id, i]));
      for (const incident of fetched) {
        if (!incident) continue;
        const fits = matches(filters, incident, user);
        if (fits === undefined) refetch = true;
        else if (fits) byId.set(incident.id, incident);
        else byId.delete(incident.id);
      }
      return sortNewestFirst([...byId.values()]);
    });
    if (refetch) setRound((r) => r + 1);
    // `key` stands for `filters`.
  }, [key, user]);

  const connected = useLiveEntries((entries) => {
    for (const entry of entries) pending.current.add(entry.incident_id);
    clearTimeout(flushTimer.current);
    flushTimer.current = setTimeout(() => void flush(), 100);
  });

  return { incidents, loading, error, connected, reload: () => setRound((r) => r + 1) };
}
