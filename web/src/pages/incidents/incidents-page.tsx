import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { canRespond } from '../../api/roles.js';
import { useUser } from '../../api/session.js';
import type { IncidentStatus, Reference } from '../../api/types.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { setStatuses } from './incident-api.js';
import { FilterBar, filtersFrom, filtersToParams, type IncidentFilters } from './incident-filters.js';
import { IncidentRows } from './incident-rows.js';
import { useLiveIncidents } from './use-live-incidents.js';

/** Services and teams for the filter pickers. */
function usePickers() {
  return useResource(async (signal) => {
    const [services, teams] = await Promise.all([
      listAll<'services', Reference & { name: string }>('services', 'services', {}, 1000, signal),
      listAll<'teams', Reference & { name: string }>('teams', 'teams', {}, 1000, signal).catch(() => []),
    ]);
    const ref = (r: Reference & { name: string }) => ({ ...r, summary: r.name });
    return { services: services.map(ref), teams: teams.map(ref) };
  }, 'pickers');
}

/** Incidents: the live list with filters and bulk acknowledge/resolve. */
export function IncidentsPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const live = useLiveIncidents(filters, user);
  const pickers = usePickers();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const visibleSelected = live.incidents.filter((i) => selected.has(i.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const toggleAll = () =>
    setSelected(
      visibleSelected.length === live.incidents.length ? new Set() : new Set(live.incidents.map((i) => i.id)),
    );
  const bulk = async (status: IncidentStatus) => {
    setBusy(true);
    setActionError(null);
    try {
      const ids = visibleSelected
        .filter((i) => i.status !== status && i.status !== 'resolved')
        .map((i) => i.id);
      await setStatuses(user, ids, status);
      setSelected(new Set());
    } catch (e) {
      setActionError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const changeFilters = (next: IncidentFilters) => {
    setSelected(new Set());
    setParams(filtersToParams(next));
  };

  const counts = {
    triggered: live.incidents.filter((i) => i.status === 'triggered').length,
    acknowledged: live.incidents.filter((i) => i.status === 'acknowledged').length,
  };
  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">Incidents</h1>
        <span className="muted" role="status" aria-live="polite">
          <span className={`live-dot${live.connected ? ' on' : ''}`} aria-hidden="true" />
          {live.connected ? 'Live' : 'Connecting…'} · {counts.triggered} triggered · {counts.acknowledged}{' '}
          acknowledged
        </span>
      </div>
      <FilterBar
        filters={filters}
        services={pickers.data?.services ?? []}
        teams={pickers.data?.teams ?? []}
        onChange={changeFilters}
      />
      <div className="actions" role="group" aria-label="Bulk actions" hidden={!canRespond(user)}>
        <button
          type="button"
          disabled={busy || visibleSelected.length === 0}
          onClick={() => void bulk('acknowledged')}
        >
          Acknowledge{visibleSelected.length > 0 ? ` (${visibleSelected.length})` : ''}
        </button>
        <button
          type="button"
          disabled={busy || visibleSelected.length === 0}
          onClick={() => void bulk('resolved')}
        >
          Resolve{visibleSelected.length > 0 ? ` (${visibleSelected.length})` : ''}
        </button>
      </div>
      <ErrorText>{actionError ?? live.error}</ErrorText>
      {live.loading && live.incidents.length === 0 ? (
        <Loading what="Loading incidents" />
      ) : live.incidents.length === 0 ? (
        <p className="card muted">No incidents match these filters. New ones appear here as they open.</p>
      ) : (
        <IncidentRows
          incidents={live.incidents}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
        />
      )}
    </section>
  );
}
