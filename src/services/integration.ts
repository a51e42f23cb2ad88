import { AppError, FieldErrors } from '../lib/errors.js';
import type { IntegrationsTable } from '../store/database.js';

/** Integration types Tocsin accepts events through. */
export const INTEGRATION_TYPES = [
  'events_api_v2_inbound_integration',
  'generic_events_api_inbound_integration',
  'thousandeyes_webhook_inbound_integration',
  'generic_json_webhook_inbound_integration',
] as const;
/** One integration type. */
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/** Where the generic JSON webhook finds each event field (dot paths into the posted JSON). */
export interface GenericJsonConfig {
  summary_path: string;
  severity_path: string | null;
  dedup_key_path: string | null;
  source_path: string | null;
  action_path: string | null;
  /** Values of the action field that resolve or acknowledge; anything else triggers. */
  resolve_values: string[];
  acknowledge_values: string[];
}

/** Defaults that fit a flat `{summary, severity, dedup_key, status}` body. */
export const defaultGenericJsonConfig: GenericJsonConfig = {
  summary_path: 'summary',
  severity_path: 'severity',
  dedup_key_path: 'dedup_key',
  source_path: 'source',
  action_path: 'status',
  resolve_values: ['resolved', 'resolve', 'ok', 'OK', 'RESOLVED'],
  acknowledge_values: ['acknowledged', 'acknowledge'],
};

/** An integration as the domain sees it. */
export interface Integration {
  id: string;
  serviceId: string;
  type: IntegrationType;
  name: string;
  integrationKey: string;
  config: GenericJsonConfig | null;
  createdAt: string;
  updatedAt: string;
}

/** Reads a row into an integration. */
export function integrationFromRow(row: IntegrationsTable): Integration {
  return {
    id: row.id,
    serviceId: row.service_id,
    type: row.type as IntegrationType,
    name: row.name,
    integrationKey: row.integration_key,
    config: JSON.parse(row.config) as GenericJsonConfig | null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A human name for each type, used when a create request names none. */
export const integrationTypeNames: Record<IntegrationType, string> = {
  events_api_v2_inbound_integration: 'Events API V2',
  generic_events_api_inbound_integration: 'Events API V1',
  thousandeyes_webhook_inbound_integration: 'ThousandEyes',
  generic_json_webhook_inbound_integration: 'Generic JSON webhook',
};

function paths(value: unknown, name: string, errors: FieldErrors, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) errors.add(`config.${name} is required`);
    return null;
  }
  if (typeof value !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(value)) {
    errors.add(`config.${name} must be a dot path such as alert.title`);
    return null;
  }
  return value;
}

function stringList(value: unknown, name: string, fallback: string[], errors: FieldErrors): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    errors.add(`config.${name} must be a list of strings`);
    return fallback;
  }
  return value;
}

/** Validates the generic JSON webhook's field paths (missing fields take the defaults). */
export function validateGenericJsonConfig(input: unknown): GenericJsonConfig {
  const errors = new FieldErrors();
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const pick = (key: keyof GenericJsonConfig) => (key in raw ? raw[key] : defaultGenericJsonConfig[key]);
  const config: GenericJsonConfig = {
    summary_path: paths(pick('summary_path'), 'summary_path', errors, true) ?? '',
    severity_path: paths(pick('severity_path'), 'severity_path', errors, false),
    dedup_key_path: paths(pick('dedup_key_path'), 'dedup_key_path', errors, false),
    source_path: paths(pick('source_path'), 'source_path', errors, false),
    action_path: paths(pick('action_path'), 'action_path', errors, false),
    resolve_values: stringList(
      raw.resolve_values,
      'resolve_values',
      defaultGenericJsonConfig.resolve_values,
      errors,
    ),
    acknowledge_values: stringList(
      raw.acknowledge_values,
      'acknowledge_values',
      defaultGenericJsonConfig.acknowledge_values,
      errors,
    ),
  };
  errors.throwIfAny();
  return config;
}

/** The writable fields of an integration after validation. */
export interface IntegrationSettings {
  type: IntegrationType;
  name: string;
  config: GenericJsonConfig | null;
}

/**
 * Validates a REST integration body: on create (no `current`) `type` is required; on update it may only
 * repeat the current type. `config` belongs to the generic JSON webhook alone. Every problem is reported at once.
 */
export function validateIntegrationInput(
  input: Record<string, unknown>,
  current?: IntegrationSettings,
): IntegrationSettings {
  const errors = new FieldErrors();
  const rawType = input.type ?? current?.type;
  const type = INTEGRATION_TYPES.find((t) => t === rawType);
  if (type === undefined) errors.add(`type must be one of ${INTEGRATION_TYPES.join(', ')}`);
  else if (current !== undefined && type !== current.type) errors.add('type cannot be changed');
  let name = current?.name ?? (type ? integrationTypeNames[type] : '');
  if (input.name !== undefined && input.name !== null) {
    if (typeof input.name !== 'string' || input.name.trim() === '')
      errors.add('name must be a non-empty string');
    else if (input.name.length > 255) errors.add('name is too long (maximum is 255 characters)');
    else name = input.name.trim();
  }
  let config = current?.config ?? null;
  if (type === 'generic_json_webhook_inbound_integration') {
    if (input.config !== undefined || config === null) {
      try {
        config = validateGenericJsonConfig(input.config ?? config);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        error.errors.forEach((e) => errors.add(e));
      }
    }
  } else if (type !== undefined && input.config !== undefined && input.config !== null) {
    errors.add('config is only accepted by generic_json_webhook_inbound_integration');
  }
  errors.throwIfAny();
  return { type: type!, name, config };
}
