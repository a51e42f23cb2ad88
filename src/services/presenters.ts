import type { Links } from '../http/rest.js';
import type { AlertGroupingParameters } from './grouping.js';
import type { Integration, IntegrationType } from './integration.js';
import type { Service } from './service.js';
import type { DroppedEventRow } from './dropped-event-store.js';
import type { IntegrationView, ServiceView } from './service-service.js';

const integrationsPath = (serviceId: string) => `services/${serviceId}/integrations`;

/**
 * A service's computed status: disabled, else maintenance (a window runs), else critical (triggered),
 * warning (acknowledged) or active.
 */
export function serviceStatus(
  view: ServiceView,
): 'active' | 'warning' | 'critical' | 'maintenance' | 'disabled' {
  if (view.service.status === 'disabled') return 'disabled';
  if (view.inMaintenance) return 'maintenance';
  if (view.stats.triggered > 0) return 'critical';
  if (view.stats.acknowledged > 0) return 'warning';
  return 'active';
}

/** A `service_reference`. */
export function serviceReference(links: Links, service: Pick<Service, 'id' | 'name'>) {
  return links.reference('service', 'services', service.id, service.name);
}

/** An `<integration type>_reference`. */
export function integrationReference(
  links: Links,
  integration: { id: string; serviceId: string; type: string; name: string },
) {
  return links.reference(
    integration.type,
    integrationsPath(integration.serviceId),
    integration.id,
    integration.name,
  );
}

/** The service's escalation policy reference, named by the policy (by its id if the policy is gone). */
function escalationPolicyReference(links: Links, id: string | null, name: string | null) {
  return id === null ? null : links.reference('escalation_policy', 'escalation_policies', id, name ?? id);
}

/** Grouping parameters; a null `config` is left out, as the OAS types `config` as an object when present. */
function presentGrouping(grouping: AlertGroupingParameters) {
  return grouping.config === null || grouping.config === undefined ? { type: grouping.type } : grouping;
}

/** A service as PagerDuty's REST API v2 shows it. */
export function presentService(links: Links, view: ServiceView) {
  const s = view.service;
  return {
    id: s.id,
    type: 'service' as const,
    summary: s.name,
    self: links.self('services', s.id),
    html_url: links.html('services', s.id),
    name: s.name,
    description: s.description,
    status: serviceStatus(view),
    auto_resolve_timeout: s.autoResolveTimeout,
    acknowledgement_timeout: s.acknowledgementTimeout,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    last_incident_timestamp: view.stats.lastIncidentAt,
    escalation_policy: escalationPolicyReference(links, s.escalationPolicyId, view.escalationPolicyName),
    teams: [],
    integrations: view.integrations.map((i) => integrationReference(links, i)),
    incident_urgency_rule: s.urgencyRule,
    support_hours: s.supportHours,
    scheduled_actions: [],
    alert_creation: s.alertCreation,
    alert_grouping_parameters: presentGrouping(s.grouping),
    // Tocsin's addition: where the service's incidents are posted in Slack.
    slack_channel_id: s.slackChannelId,
    addons: [],
    response_play: null,
  };
}

/** Where an integration's events are posted (Tocsin's addition to PagerDuty's shape). */
export function eventsUrl(baseUrl: string, type: IntegrationType, key: string): string {
  switch (type) {
    case 'events_api_v2_inbound_integration':
      return `${baseUrl}/v2/enqueue`;
    case 'generic_events_api_inbound_integration':
      return `${baseUrl}/generic/2010-04-15/create_event.json`;
    default:
      return `${baseUrl}/integration/${key}/enqueue`;
  }
}

/** An integration as PagerDuty shows it, plus `events_url` (and `config` for the generic JSON webhook). */
export function presentIntegration(links: Links, view: IntegrationView) {
  const i: Integration = view.integration;
  return {
    id: i.id,
    type: i.type,
    summary: i.name,
    self: links.self(integrationsPath(i.serviceId), i.id),
    html_url: links.html(integrationsPath(i.serviceId), i.id),
    name: i.name,
    service: serviceReference(links, view.service),
    created_at: i.createdAt,
    integration_key: i.integrationKey,
    integration_email: null,
    vendor: null,
    ...(i.type === 'generic_json_webhook_inbound_integration' ? { config: i.config } : {}),
    events_url: eventsUrl(links.baseUrl, i.type, i.integrationKey),
  };
}

/** One entry of a service's dropped-events log. */
export function presentDroppedEvent(links: Links, row: DroppedEventRow) {
  return {
    id: row.id,
    type: 'dropped_event' as const,
    received_at: row.received_at,
    reason: row.reason,
    event_action: row.event_action,
    dedup_key: row.dedup_key,
    summary: row.summary,
    integration: integrationReference(links, {
      id: row.integration_id,
      serviceId: row.service_id,
      type: row.integration_type,
      name: row.integration_name,
    }),
    body: JSON.parse(row.body) as unknown,
  };
}
