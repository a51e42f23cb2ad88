import { AppError } from '../lib/errors.js';
import type { IncidentSort } from './incident-store.js';

/** The date parameters of `GET /incidents`. */
export interface WindowQuery {
  since?: string;
  until?: string;
  dateRange?: 'all';
}

/** Reads an ISO-8601 date-time parameter as Tocsin stores timestamps (UTC, milliseconds). */
export function parseTime(name: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('invalidInput', [`${name} must be an ISO 8601 date-time`]);
  return new Date(ms).toISOString();
}

function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/**
 * The `created_at` window of `GET /incidents`, both ends inclusive. As PagerDuty: the last month up to now
 * when neither end is given, at most 6 months, nothing with `date_range=all`. With one end only, the
 * other is now (since only) or one month earlier (until only).
 */
export function incidentWindow(query: WindowQuery, now: Date): { since?: string; until?: string } {
  if (query.dateRange === 'all') return {};
  const until = query.until === undefined ? now.toISOString() : parseTime('until', query.until);
  const since = query.since === undefined ? addMonths(until, -1) : parseTime('since', query.since);
  if (since > until) throw new AppError('invalidInput', ['since must not be later than until']);
  if (addMonths(since, 6) < until)
    throw new AppError('invalidInput', ['The date range between since and until must be at most 6 months']);
  return { since, until };
}

const SORT_KEYS = ['created_at', 'incident_number', 'resolved_at', 'urgency'] as const;

/** Parses `sort_by` (`field[:asc|:desc]`, up to two, comma-separated); PagerDuty's default is oldest first. */
export function parseIncidentSort(sortBy: string | undefined): IncidentSort[] {
  if (sortBy === undefined || sortBy.trim() === '') return [{ key: 'created_at', direction: 'asc' }];
  const parts = sortBy.split(',').map((p) => p.trim());
  const problems: string[] = [];
  if (parts.length > 2) problems.push('sort_by takes at most two fields');
  const sort: IncidentSort[] = [];
  for (const part of parts) {
    const [key, direction = 'asc', extra] = part.split(':');
    const knownKey = SORT_KEYS.find((k) => k === key);
    if (!knownKey || (direction !== 'asc' && direction !== 'desc') || extra !== undefined) {
      problems.push(`sort_by ${part} is not one of ${SORT_KEYS.join(', ')} with :asc or :desc`);
    } else sort.push({ key: knownKey, direction });
  }
  if (problems.length > 0) throw new AppError('invalidInput', problems);
  return sort;
}
