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
 * that changed; they are fetched again (in one go per 100 ms) and put in, updated, or dropped. A big
 * burst refetches the whole list instead; a refetch asked for while one runs waits for it and runs
 * once more, so a steady stream of changes never starves the list.
 */
export function useLiveIncidents(filters: IncidentFilters, user: User): LiveIncidents {
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef(new Set<string>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<AbortController | null>(null);
  const again = useRef(false);
  const current = useRef({ filters, user });
  current.current = { filters, user };
  const key = JSON.stringify(filters);

  const refetch = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const controller = new AbortController();
    inFlight.current = controller;
    const { filters: f, user: u } = current.current;
    setLoading(true);
    listAll<'incidents', Incident>('incidents', 'incidents', listQuery(f, u), 5000, controller.signal)
      .then(
        (list) => {
          if (controller.signal.aborted) return;
          setIncidents(list);
          setError(null);
        },
        (e: unknown) => {
          if (!controller.signal.aborted) setError(messageOf(e));
        },
      )
      .finally(() => {
        if (controller.signal.aborted) return;
        inFlight.current = null;
        setLoading(false);
        if (again.current) {
          again.current = false;
          refetch();
        }
      });
  }, []);

  // New filters: drop what is loading for the old ones and start over.
  useEffect(() => {
    inFlight.current?.abort();
    inFlight.current = null;
    again.current = false;
    refetch();
    return () => {
      inFlight.current?.abort();
      inFlight.current = null;
    };
  }, [key, user, refetch]);

  const flush = useCallback(async () => {
    const ids = [...pending.current];
    pending.current.clear();
    if (ids.length > ONE_BY_ONE) return refetch();
    const fetched = await Promise.all(
      ids.map((id) =>
        api.get<{ incident: Incident }>(`incidents/${id}`).then(
          (b) => b.incident,
          () => undefined,
        ),
      ),
    );
    const { filters: f, user: u } = current.current;
    if (f.team) return refetch(); // team membership is not on the incident
    setIncidents((list) => {
      const byId = new Map(list.map((i) => [i.id, i]));
      for (const incident of fetched) {
        if (!incident) continue;
        if (matches(f, incident, u)) byId.set(incident.id, incident);
        else byId.delete(incident.id);
      }
      return sortNewestFirst([...byId.values()]);
    });
  }, [refetch]);

  const connected = useLiveEntries((entries) => {
    for (const entry of entries) pending.current.add(entry.incident_id);
    clearTimeout(flushTimer.current);
    flushTimer.current = setTimeout(() => void flush(), 100);
  });

  return { incidents, loading, error, connected, reload: refetch };
}
