import type { Actor } from '../auth/actor.js';

/** The root resources audit records hang under (PagerDuty's `root_resource_types[]` plus Tocsin's own). */
export type RootType =
  | 'services'
  | 'users'
  | 'escalation_policies'
  | 'schedules'
  | 'teams'
  | 'webhook_subscriptions'
  | 'api_tokens';

/** PagerDuty's root resource types (the values `root_resource_types[]` accepts). */
export const ROOT_TYPES: readonly RootType[] = [
  'services',
  'users',
  'escalation_policies',
  'schedules',
  'teams',
  'webhook_subscriptions',
  'api_tokens',
];

/** The reference type (without `_reference`) of each root type. */
export const ROOT_REFERENCE: Record<RootType, string> = {
  services: 'service',
  users: 'user',
  escalation_policies: 'escalation_policy',
  schedules: 'schedule',
  teams: 'team',
  webhook_subscriptions: 'webhook_subscription',
  api_tokens: 'api_token',
};

/** An audited action. */
export type AuditAction = 'create' | 'update' | 'delete';

/** A resource named in a record. */
export interface AuditResource {
  type: string;
  id: string;
  summary: string;
}

/** One configuration change, as a domain service describes it to `recordChange`. */
export interface AuditChange {
  root: { type: RootType; id: string; summary: string };
  /** The changed resource when it is not the root itself (an integration of a service, …). */
  resource?: AuditResource;
  action: AuditAction;
  /** Snapshots (rows or plain objects); secrets are redacted before they are stored. */
  before?: object | null;
  after?: object | null;
}

/*
 * Keys whose values never reach the audit log: hashes, feed and signing secrets, integration keys (they
 * route events), webhook custom headers (they often carry tokens) and pending verification codes.
 */
const SECRET_KEYS = new Set([
  'password_hash',
  'token_hash',
  'ical_token',
  'secret',
  'integration_key',
  'custom_headers',
  'verification_hash',
  'token',
  'password',
]);

/** Columns that say when, not what: left out of snapshots. */
const NOISE_KEYS = new Set(['created_at', 'updated_at', 'deleted_at', 'verification_expires_at']);

/** A snapshot as stored: JSON-text columns parsed, secrets replaced by `[redacted]`, timestamps dropped. */
export function redact(value: object | null | undefined): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (NOISE_KEYS.has(key)) continue;
    if (SECRET_KEYS.has(key)) {
      out[key] = raw === null || raw === undefined ? null : '[redacted]';
      continue;
    }
    out[key] = parseJsonText(raw);
  }
  return out;
}

// Rows keep lists and objects as JSON text; parsing them makes `fields` readable.
function parseJsonText(raw: unknown): unknown {
  if (typeof raw !== 'string' || !/^[[{]/.test(raw)) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** A changed field as PagerDuty presents it: values as strings (JSON for non-strings). */
export interface AuditField {
  name: string;
  before_value?: string | null;
  value?: string | null;
}

const show = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The fields of a change: every field set on create or delete, the differing ones on update. */
export function changedFields(
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditField[] {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (n) => n !== 'id',
  );
  const fields: AuditField[] = [];
  for (const name of names) {
    const b = show(before?.[name]);
    const a = show(after?.[name]);
    if (action === 'create' && a !== null) fields.push({ name, value: a });
    else if (action === 'delete' && b !== null) fields.push({ name, before_value: b });
    else if (action === 'update' && a !== b) fields.push({ name, before_value: b, value: a });
  }
  return fields;
}

/** Who and how, as stored on a record. */
export interface AuditActorColumns {
  actor_type: string | null;
  actor_id: string | null;
  actor_summary: string | null;
  method_type: string;
  method_truncated_token: string | null;
}

/**
 * The actor and method columns: users as `user_reference`, account tokens as `api_key_reference`, OAuth
 * apps as `app_reference`; Tocsin itself (the engine, start-up) has no actor and the `internal` method.
 */
export function actorColumns(actor: Actor): AuditActorColumns {
  if (actor.kind === 'system')
    return {
      actor_type: null,
      actor_id: null,
      actor_summary: null,
      method_type: 'internal',
      method_truncated_token: null,
    };
  const via = actor.via;
  const method = {
    method_type: via?.type ?? 'api_token',
    method_truncated_token: via?.truncatedToken ?? null,
  };
  if (actor.kind === 'user' && actor.userId !== null)
    return { actor_type: 'user_reference', actor_id: actor.userId, actor_summary: actor.summary, ...method };
  const type = via?.type === 'oauth' ? 'app_reference' : 'api_key_reference';
  return {
    actor_type: type,
    actor_id: via?.credentialId ?? actor.userId,
    actor_summary: actor.summary,
    ...method,
  };
}
