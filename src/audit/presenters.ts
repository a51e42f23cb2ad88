import type { AuditRecordsTable } from '../store/database.js';
import type { Links } from '../http/rest.js';
import { changedFields, ROOT_REFERENCE, type RootType } from './audit.js';

const parse = (text: string | null): Record<string, unknown> | null =>
  text === null ? null : (JSON.parse(text) as Record<string, unknown>);

/** Collections whose resources have their own REST URL (for `self` and `html_url` of references). */
const COLLECTION_OF: Record<string, string> = {
  service: 'services',
  user: 'users',
  escalation_policy: 'escalation_policies',
  schedule: 'schedules',
  team: 'teams',
  webhook_subscription: 'webhook_subscriptions',
};

function reference(links: Links, type: string, id: string, summary: string) {
  const collection = COLLECTION_OF[type];
  return collection
    ? links.reference(type, collection, id, summary)
    : { id, type: `${type}_reference`, summary };
}

/** An audit record in PagerDuty's shape (`fields` computed from the stored before/after snapshots). */
export function presentAuditRecord(links: Links, row: AuditRecordsTable) {
  const rootType = ROOT_REFERENCE[row.root_type as RootType] ?? row.root_type;
  const actors =
    row.actor_type === null || row.actor_id === null
      ? []
      : [
          row.actor_type === 'user_reference'
            ? links.reference('user', 'users', row.actor_id, row.actor_summary ?? '')
            : { id: row.actor_id, type: row.actor_type, summary: row.actor_summary ?? '' },
        ];
  return {
    id: row.id,
    // Tocsin has no single-record endpoint (neither has PagerDuty): `self` is null.
    self: null,
    execution_time: row.execution_time,
    execution_context: null,
    actors,
    method: {
      type: row.method_type,
      truncated_token: row.method_truncated_token,
      description: null,
    },
    root_resource: reference(links, rootType, row.root_id, row.root_summary),
    action: row.action,
    details: {
      resource: reference(links, row.resource_type, row.resource_id, row.resource_summary),
      fields: changedFields(row.action, parse(row.before_json), parse(row.after_json)),
    },
  };
}
