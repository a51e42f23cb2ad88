import { useEffect, useRef, useState } from 'react';

/** A new log entry as `GET /api/v2/incidents/stream` announces it. */
export interface LiveEntry {
  id: string;
  type: string;
  incident_id: string;
  service_id: string;
  created_at: string;
}

/**
 * Listens to the live incident stream while the component is mounted; calls `onEntries` with each
 * batch. EventSource reconnects by itself (sending Last-Event-ID, so nothing is missed). Returns
 * whether the stream is connected.
 */
export function useLiveEntries(onEntries: (entries: LiveEntry[]) => void): boolean {
  const handler = useRef(onEntries);
  handler.current = onEntries;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/v2/incidents/stream', { withCredentials: true });
    source.addEventListener('ready', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('log_entries', (event) => {
      const body = JSON.parse((event as MessageEvent<string>).data) as { log_entries: LiveEntry[] };
      handler.current(body.log_entries);
    });
    return () => source.close();
  }, []);
  return connected;
}
