import type { Links } from '../http/rest.js';
import type { WindowView } from './maintenance-window-service.js';

/** A maintenance window as PagerDuty's REST API v2 shows it (times in UTC). */
export function presentWindow(links: Links, view: WindowView) {
  const w = view.window;
  const summary = w.description ?? `Maintenance window ${w.sequenceNumber}`;
  return {
    id: w.id,
    type: 'maintenance_window' as const,
    summary,
    self: links.self('maintenance_windows', w.id),
    html_url: links.html('maintenance_windows', w.id),
    sequence_number: w.sequenceNumber,
    start_time: w.startTime,
    end_time: w.endTime,
    description: w.description ?? '',
    services: view.services.map((s) => links.reference('service', 'services', s.id, s.name)),
    teams: view.teams.map((t) => links.reference('team', 'teams', t.id, t.name)),
    created_by:
      view.createdBy === null
        ? null
        : links.reference('user', 'users', view.createdBy.id, view.createdBy.name),
  };
}
