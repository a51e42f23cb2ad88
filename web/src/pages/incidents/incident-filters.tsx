import type { Query } from '../../api/client.js';
import type { Incident, Reference, User } from '../../api/types.js';

/** The list's filters, kept in the address so a filtered view can be shared and reloaded. */
export interface IncidentFilters {
  status: 'open' | 'triggered' | 'acknowledged' | 'resolved' | 'any';
  urgency: '' | 'high' | 'low';
  service: string;
  team: string;
  mine: boolean;
}

/** Reads the filters from the query string (default: open incidents). */
export function filtersFrom(params: URLSearchParams): IncidentFilters {
  const status = params.get('status');
  const urgency = params.get('urgency');
  return {
    status:
      status === 'triggered' || status === 'acknowledged' || status === 'resolved' || status === 'any'
        ? status
        : 'open',
    urgency: urgency === 'high' || urgency === 'low' ? urgency : '',
    service: params.get('service') ?? '',
    team: params.get('team') ?? '',
    mine: params.get('mine') === '1',
  };
}

/** Writes the filters back to query parameters (defaults left out). */
export function filtersToParams(f: IncidentFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status !== 'open') out.status = f.status;
  if (f.urgency) out.urgency = f.urgency;
  if (f.service) out.service = f.service;
  if (f.team) out.team = f.team;
  if (f.mine) out.mine = '1';
  return out;
}

function statuses(f: IncidentFilters): string[] | undefined {
  if (f.status === 'open') return ['triggered', 'acknowledged'];
  if (f.status === 'any') return undefined;
  return [f.status];
}

/** The `GET /incidents` query for the filters, newest first. */
export function listQuery(f: IncidentFilters, user: User): Query {
  return {
    statuses: statuses(f),
    urgencies: f.urgency ? [f.urgency] : undefined,
    service_ids: f.service ? [f.service] : undefined,
    team_ids: f.team ? [f.team] : undefined,
    user_ids: f.mine ? [user.id] : undefined,
    // Open incidents of any age; resolved ones from PagerDuty's default window.
    date_range:
      f.status === 'open' || f.status === 'triggered' || f.status === 'acknowledged' ? 'all' : undefined,
    sort_by: 'created_at:desc',
  };
}

/**
 * Whether an incident belongs in the list, judged in the browser for live updates. Team membership is
 * not on the incident, so a team filter is `undefined` here (the caller refetches the list instead).
 */
export function matches(f: IncidentFilters, incident: Incident, user: User): boolean | undefined {
  if (f.team) return undefined;
  const wanted = statuses(f);
  if (wanted && !wanted.includes(incident.status)) return false;
  if (f.urgency && incident.urgency !== f.urgency) return false;
  if (f.service && incident.service.id !== f.service) return false;
  if (f.mine && !incident.assignments.some((a) => a.assignee.id === user.id)) return false;
  return true;
}

/** Props of the filter bar. */
export interface FilterBarProps {
  filters: IncidentFilters;
  services: Reference[];
  teams: Reference[];
  onChange: (next: IncidentFilters) => void;
}

/** Status, urgency, service, team and "assigned to me" controls. */
export function FilterBar({ filters, services, teams, onChange }: FilterBarProps) {
  const set = <K extends keyof IncidentFilters>(key: K, value: IncidentFilters[K]) =>
    onChange({ ...filters, [key]: value });
  return (
    <form className="filters" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select
          value={filters.status}
          onChange={(e) => set('status', e.target.value as IncidentFilters['status'])}
        >
          <option value="open">Open</option>
          <option value="triggered">Triggered</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option>
          <option value="any">Any</option>
        </select>
      </label>
      <label>
        Urgency
        <select
          value={filters.urgency}
          onChange={(e) => set('urgency', e.target.value as IncidentFilters['urgency'])}
        >
          <option value="">Any</option>
          <option value="high">High</option>
          <option value="low">Low</option>
        </select>
      </label>
      <label>
        Service
        <select value={filters.service} onChange={(e) => set('service', e.target.value)}>
          <option value="">All services</option>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.summary}
            </option>
          ))}
        </select>
      </label>
      <label>
        Team
        <select value={filters.team} onChange={(e) => set('team', e.target.value)}>
          <option value="">All teams</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.summary}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={filters.mine} onChange={(e) => set('mine', e.target.checked)} />
        Assigned to me
      </label>
    </form>
  );
}
