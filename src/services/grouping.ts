import { createHash } from 'node:crypto';
import type { AlertPayload } from '../events/event.js';

/** The service's `alert_grouping_parameters`. */
export type AlertGroupingParameters =
  | { type: null; config?: null }
  | { type: 'time'; config: { timeout: number } }
  | { type: 'intelligent'; config?: Record<string, unknown> | null }
  | { type: 'content_based'; config: { aggregate: 'all' | 'any'; fields: string[]; time_window: number } };

/** Fields content-based grouping may compare. */
export const GROUPABLE_FIELDS = ['summary', 'source', 'component', 'group', 'class'];

/** How a new alert may join an open incident: keys to match and how far back to look. */
export interface GroupingPlan {
  keys: string[];
  /** Only incidents whose key was recorded at or after this instant match; undefined = while open. */
  since: string | undefined;
}

function fieldValue(payload: AlertPayload, field: string): string | undefined {
  if (field.startsWith('custom_details.')) {
    const details = payload.customDetails;
    if (typeof details !== 'object' || details === null) return undefined;
    const value = (details as Record<string, unknown>)[field.slice('custom_details.'.length)];
    return value === undefined ? undefined : JSON.stringify(value);
  }
  const value = (payload as unknown as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function digest(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * The grouping keys for an alert. Time grouping: one key per service, recorded when the incident opens,
 * so alerts join within `timeout` minutes of the incident's first alert (0 = while it is open).
 * Content-based: with `all`, one key over every chosen field; with `any`, one key per field; keys are
 * recorded by each alert that joins, so the window is rolling. Intelligent grouping is not implemented
 * and behaves as no grouping (docs/decisions.md).
 */
export function groupingPlan(
  params: AlertGroupingParameters,
  payload: AlertPayload,
  now: Date,
): GroupingPlan | null {
  if (params.type === 'time') {
    const minutes = params.config.timeout;
    return {
      keys: ['time'],
      since: minutes > 0 ? new Date(now.getTime() - minutes * 60_000).toISOString() : undefined,
    };
  }
  if (params.type === 'content_based') {
    const { aggregate, fields, time_window: window } = params.config;
    const values = fields.map((field) => [field, fieldValue(payload, field)] as const);
    const since = window > 0 ? new Date(now.getTime() - window * 1000).toISOString() : undefined;
    if (aggregate === 'all') {
      if (values.some(([, v]) => v === undefined)) return null;
      return { keys: ['all:' + digest(values.map(([f, v]) => `${f}=${v}`))], since };
    }
    const keys = values.filter(([, v]) => v !== undefined).map(([f, v]) => 'any:' + digest([`${f}=${v}`]));
    return keys.length > 0 ? { keys, since } : null;
  }
  return null;
}
