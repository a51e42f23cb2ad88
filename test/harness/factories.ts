import { integrationKey, shortId } from '../../src/lib/ids.js';
import type { AlertGroupingParameters } from '../../src/services/grouping.js';
import type { IntegrationType } from '../../src/services/integration.js';
import type { IncidentUrgencyRule } from '../../src/services/urgency.js';
import type { Store } from '../../src/store/store.js';

/** Options for a service made directly in the store (store-tier tests). */
export interface ServiceFixture {
  name?: string;
  status?: 'active' | 'disabled';
  urgencyRule?: IncidentUrgencyRule;
  grouping?: AlertGroupingParameters;
  alertCreation?: 'create_incidents' | 'create_alerts_and_incidents';
}

/** Inserts a service with one integration and returns their ids and the integration key. */
export async function insertServiceWithIntegration(
  store: Store,
  options: ServiceFixture = {},
  type: IntegrationType = 'events_api_v2_inbound_integration',
  config: unknown = null,
): Promise<{ serviceId: string; integrationId: string; key: string }> {
  const at = new Date('2026-01-01T00:00:00Z').toISOString();
  const serviceId = shortId();
  const integrationId = shortId();
  const key = integrationKey();
  await store.db
    .insertInto('services')
    .values({
      id: serviceId,
      name: options.name ?? `Service ${serviceId}`,
      description: null,
      status: options.status ?? 'active',
      escalation_policy_id: null,
      alert_creation: options.alertCreation ?? 'create_alerts_and_incidents',
      acknowledgement_timeout: 1800,
      auto_resolve_timeout: 14400,
      incident_urgency_rule: JSON.stringify(options.urgencyRule ?? { type: 'constant', urgency: 'high' }),
      support_hours: null,
      alert_grouping_parameters: JSON.stringify(options.grouping ?? { type: null, config: null }),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  await store.db
    .insertInto('integrations')
    .values({
      id: integrationId,
      service_id: serviceId,
      type,
      name: 'Test integration',
      integration_key: key,
      config: JSON.stringify(config),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .execute();
  return { serviceId, integrationId, key };
}

/** An Events API v2 trigger body. */
export function triggerBody(
  key: string,
  dedupKey?: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    routing_key: key,
    event_action: 'trigger',
    ...(dedupKey === undefined ? {} : { dedup_key: dedupKey }),
    payload: {
      summary: `Disk full on ${dedupKey ?? 'host'}`,
      source: 'db-1',
      severity: 'critical',
      ...(overrides.payload ?? {}),
    },
    ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== 'payload')),
  };
}

/** Ids of the alerts stored under a dedup key (to prove an event was, or was not, stored). */
export async function alertIdsWithKey(store: Store, alertKey: string): Promise<string[]> {
  const rows = await store.db.selectFrom('alerts').select('id').where('alert_key', '=', alertKey).execute();
  return rows.map((r) => r.id);
}
