import type { Kysely } from 'kysely';
import type { Database, LogEntriesTable } from '../store/database.js';
import type { Page } from './incident-store.js';

/** A log entry with what its references need. */
export interface LogEntryRow extends LogEntriesTable {
  service_name: string;
  incident_number: number;
  incident_title: string;
}

/** Filters of the log entry lists. */
export interface LogEntryFilter {
  incidentId?: string;
  since?: string;
  until?: string;
  /** Only the entries of PagerDuty's overview (no notification entries). */
  overview?: boolean;
  /** Entries of incidents whose escalation policy belongs to any of these teams. */
  teamIds?: readonly string[];
}

/** Entry types the overview leaves out: who was notified how, and the escalation path's bookkeeping. */
const DETAIL_TYPES = ['notify_log_entry', 'repeat_escalation_path_log_entry'];

function logEntries(db: Kysely<Database>, f: LogEntryFilter) {
  let query = db.selectFrom('log_entries');
  if (f.incidentId !== undefined) query = query.where('log_entries.incident_id', '=', f.incidentId);
  if (f.since !== undefined) query = query.where('log_entries.created_at', '>=', f.since);
  if (f.until !== undefined) query = query.where('log_entries.created_at', '<=', f.until);
  if (f.overview === true) query = query.where('log_entries.type', 'not in', DETAIL_TYPES);
  const teams = f.teamIds;
  if (teams?.length)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('incidents as ti')
          .innerJoin('escalation_policies as tp', 'tp.id', 'ti.escalation_policy_id')
          .select('ti.id')
          .whereRef('ti.id', '=', 'log_entries.incident_id')
          .where('tp.team_id', 'in', [...teams]),
      ),
    );
  return query;
}

function withLogEntryRefs(query: ReturnType<typeof logEntries>) {
  return query
    .innerJoin('incidents', 'incidents.id', 'log_entries.incident_id')
    .innerJoin('services', 'services.id', 'log_entries.service_id')
    .selectAll('log_entries')
    .select([
      'services.name as service_name',
      'incidents.incident_number',
      'incidents.title as incident_title',
    ]);
}

/** A page of log entries, oldest first (ids are time-ordered: entries of one transaction keep their order). */
export async function listLogEntries(
  db: Kysely<Database>,
  filter: LogEntryFilter,
  page: Page,
): Promise<LogEntryRow[]> {
  return withLogEntryRefs(logEntries(db, filter))
    .orderBy('log_entries.created_at')
    .orderBy('log_entries.id')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
}

/** How many log entries match the filter. */
export async function countLogEntries(db: Kysely<Database>, filter: LogEntryFilter): Promise<number> {
  const row = await logEntries(db, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One log entry by id. */
export async function findLogEntry(db: Kysely<Database>, id: string): Promise<LogEntryRow | undefined> {
  return withLogEntryRefs(logEntries(db, {})).where('log_entries.id', '=', id).executeTakeFirst();
}
