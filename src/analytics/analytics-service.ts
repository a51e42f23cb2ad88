import type { Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import { FieldErrors } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import type { IncidentFigures, IncidentGroupRow, Period } from './analytics.js';
import {
  incidentFigures,
  incidentsPerDay,
  notificationsPerChannel,
  notificationsPerPerson,
} from './analytics-store.js';

const DAY = 86_400_000;
/** The default period: the last 30 days. */
export const DEFAULT_DAYS = 30;
/** The longest period one request may cover (the queries scan every incident of it). */
export const MAX_DAYS = 366;

/** Reads `since`/`until` (ISO-8601) into a period; defaults to the 30 days up to now. */
export function periodOf(clock: Clock, since?: string, until?: string): Period {
  const errors = new FieldErrors();
  const end = until === undefined ? clock.now() : new Date(until);
  const start = since === undefined ? new Date(end.getTime() - DEFAULT_DAYS * DAY) : new Date(since);
  if (Number.isNaN(end.getTime())) errors.add('until must be an ISO-8601 date-time');
  if (Number.isNaN(start.getTime())) errors.add('since must be an ISO-8601 date-time');
  errors.throwIfAny();
  if (start.getTime() >= end.getTime()) errors.add('since must be before until');
  if (end.getTime() - start.getTime() > MAX_DAYS * DAY)
    errors.add(`the period may span at most ${MAX_DAYS} days`);
  errors.throwIfAny();
  return { since: start.toISOString(), until: end.toISOString() };
}

/** What `GET /analytics/incidents` needs. */
export interface AnalyticsDeps {
  store: Store;
  clock: Clock;
  links: Links;
}

const noIncidents: IncidentFigures = {
  incidents: 0,
  high_urgency: 0,
  low_urgency: 0,
  acknowledged: 0,
  resolved: 0,
  mean_seconds_to_acknowledge: null,
  mean_seconds_to_resolve: null,
};

function figures(row: IncidentGroupRow | undefined): IncidentFigures {
  if (!row) return noIncidents;
  return {
    incidents: row.incidents,
    high_urgency: row.high_urgency,
    low_urgency: row.low_urgency,
    acknowledged: row.acknowledged,
    resolved: row.resolved,
    mean_seconds_to_acknowledge: row.mean_seconds_to_acknowledge,
    mean_seconds_to_resolve: row.mean_seconds_to_resolve,
  };
}

/** Incident counts and mean response times over the period: account, per service, per team, per day. */
export async function incidentAnalytics(deps: AnalyticsDeps, period: Period) {
  const { db, kind } = deps.store;
  const [account, services, teams, days] = await Promise.all([
    incidentFigures(db, kind, period, 'account'),
    incidentFigures(db, kind, period, 'service'),
    incidentFigures(db, kind, period, 'team'),
    incidentsPerDay(db, period),
  ]);
  return {
    ...period,
    totals: figures(account[0]),
    services: services.map((r) => ({
      service: deps.links.reference('service', 'services', r.id ?? '', r.name ?? ''),
      ...figures(r),
    })),
    // Incidents whose policy has no team are counted under `team: null`.
    teams: teams.map((r) => ({
      team: r.id === null ? null : deps.links.reference('team', 'teams', r.id, r.name ?? ''),
      ...figures(r),
    })),
    days,
  };
}

/** Notifications over the period: delivered and failed per channel, delivered per person. */
export async function notificationAnalytics(deps: AnalyticsDeps, period: Period) {
  const [channels, people] = await Promise.all([
    notificationsPerChannel(deps.store.db, period),
    notificationsPerPerson(deps.store.db, period),
  ]);
  return {
    ...period,
    channels,
    users: people.map((p) => ({
      user: deps.links.reference('user', 'users', p.user_id, p.name),
      sent: p.sent,
      by_channel: p.by_channel,
    })),
  };
}
