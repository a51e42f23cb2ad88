import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import type { DialectKind } from '../store/store.js';
import type { ChannelCount, DayCount, IncidentGroupRow, Period, PersonCount } from './analytics.js';

/** Seconds from `from` to `to` (ISO text columns) in the dialect's own date arithmetic. */
function secondsBetween(dialect: DialectKind, from: string, to: string): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`EXTRACT(EPOCH FROM (${sql.ref(to)}::timestamptz - ${sql.ref(from)}::timestamptz))`
    : sql<number>`((julianday(${sql.ref(to)}) - julianday(${sql.ref(from)})) * 86400.0)`;
}

type Grouping = 'service' | 'team' | 'account';

const groupColumns: Record<Grouping, [string, string]> = {
  service: ['s.id', 's.name'],
  team: ['tm.id', 'tm.name'],
  account: ['NULL', 'NULL'],
};

interface RawGroupRow {
  id: string | null;
  name: string | null;
  incidents: string | number;
  high_urgency: string | number | null;
  acknowledged: string | number | null;
  resolved: string | number | null;
  mtta: string | number | null;
  mttr: string | number | null;
}

const num = (v: string | number | null): number => Number(v ?? 0);
const mean = (v: string | number | null): number | null => (v === null ? null : Math.round(Number(v)));

/**
 * Incidents opened in the period grouped by service, by team (the team of the incident's policy) or
 * for the whole account, with their mean times to first acknowledgement and to resolution.
 */
export async function incidentFigures(
  db: Kysely<Database>,
  dialect: DialectKind,
  period: Period,
  by: Grouping,
): Promise<IncidentGroupRow[]> {
  const [idCol, nameCol] = groupColumns[by];
  const ack = secondsBetween(dialect, 'i.created_at', 'a.first_ack');
  const resolve = secondsBetween(dialect, 'i.created_at', 'i.resolved_at');
  const group = by === 'account' ? sql`` : sql`GROUP BY ${sql.raw(idCol)}, ${sql.raw(nameCol)}`;
  const result = await sql<RawGroupRow>`
    SELECT ${sql.raw(idCol)} AS id, ${sql.raw(nameCol)} AS name,
      COUNT(i.id) AS incidents,
      SUM(CASE WHEN i.urgency = 'high' THEN 1 ELSE 0 END) AS high_urgency,
      SUM(CASE WHEN a.first_ack IS NOT NULL THEN 1 ELSE 0 END) AS acknowledged,
      SUM(CASE WHEN i.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS resolved,
      AVG(CASE WHEN a.first_ack IS NOT NULL THEN ${ack} END) AS mtta,
      AVG(CASE WHEN i.resolved_at IS NOT NULL THEN ${resolve} END) AS mttr
    FROM incidents i
    JOIN services s ON s.id = i.service_id
    LEFT JOIN escalation_policies p ON p.id = i.escalation_policy_id
    LEFT JOIN teams tm ON tm.id = p.team_id
    LEFT JOIN (
      SELECT incident_id, MIN(created_at) AS first_ack FROM log_entries
      WHERE type = 'acknowledge_log_entry' GROUP BY incident_id
    ) a ON a.incident_id = i.id
    WHERE i.created_at >= ${period.since} AND i.created_at < ${period.until}
    ${group}
    ORDER BY 3 DESC, 2`.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    incidents: num(r.incidents),
    high_urgency: num(r.high_urgency),
    low_urgency: num(r.incidents) - num(r.high_urgency),
    acknowledged: num(r.acknowledged),
    resolved: num(r.resolved),
    mean_seconds_to_acknowledge: mean(r.mtta),
    mean_seconds_to_resolve: mean(r.mttr),
  }));
}

/** Incidents opened per UTC day of the period (days without incidents are absent). */
export async function incidentsPerDay(db: Kysely<Database>, period: Period): Promise<DayCount[]> {
  const result = await sql<{ date: string; incidents: string | number }>`
    SELECT SUBSTR(created_at, 1, 10) AS date, COUNT(*) AS incidents FROM incidents
    WHERE created_at >= ${period.since} AND created_at < ${period.until}
    GROUP BY SUBSTR(created_at, 1, 10) ORDER BY 1`.execute(db);
  return result.rows.map((r) => ({ date: r.date, incidents: num(r.incidents) }));
}

/** Notifications created in the period that were delivered or failed, per channel. */
export async function notificationsPerChannel(db: Kysely<Database>, period: Period): Promise<ChannelCount[]> {
  const result = await sql<{ channel: string | null; sent: string | number; failed: string | number }>`
    SELECT channel,
      SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS sent,
      SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
    FROM notifications
    WHERE created_at >= ${period.since} AND created_at < ${period.until}
      AND status IN ('delivered', 'failed')
    GROUP BY channel ORDER BY 2 DESC, 1`.execute(db);
  return result.rows.map((r) => ({
    channel: r.channel ?? 'unknown',
    sent: num(r.sent),
    failed: num(r.failed),
  }));
}

/** Notifications delivered in the period to each person, per channel, busiest person first. */
export async function notificationsPerPerson(db: Kysely<Database>, period: Period): Promise<PersonCount[]> {
  const result = await sql<{ user_id: string; name: string; channel: string | null; sent: string | number }>`
    SELECT n.user_id, u.name, n.channel, COUNT(*) AS sent
    FROM notifications n JOIN users u ON u.id = n.user_id
    WHERE n.created_at >= ${period.since} AND n.created_at < ${period.until} AND n.status = 'delivered'
    GROUP BY n.user_id, u.name, n.channel`.execute(db);
  const people = new Map<string, PersonCount>();
  for (const r of result.rows) {
    const person = people.get(r.user_id) ?? { user_id: r.user_id, name: r.name, sent: 0, by_channel: {} };
    person.sent += num(r.sent);
    person.by_channel[r.channel ?? 'unknown'] = num(r.sent);
    people.set(r.user_id, person);
  }
  return [...people.values()].sort((a, b) => b.sent - a.sent || a.name.localeCompare(b.name));
}
