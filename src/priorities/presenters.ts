import type { Links } from '../http/rest.js';
import type { PrioritiesTable } from '../store/database.js';

/** A priority as PagerDuty presents it (in `GET /priorities` and as an incident's `priority`). */
export function presentPriority(links: Links, row: PrioritiesTable) {
  return {
    id: row.id,
    type: 'priority',
    summary: row.name,
    self: links.self('priorities', row.id),
    html_url: null,
    name: row.name,
    description: row.description,
    color: row.color,
    order: Number(row.position),
  };
}
