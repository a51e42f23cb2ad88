import type { Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { longId } from '../lib/ids.js';
import type { AuditRecordsTable } from '../store/database.js';
import type { Store, Tx } from '../store/store.js';
import {
  actorColumns,
  redact,
  ROOT_REFERENCE,
  ROOT_TYPES,
  type AuditChange,
  type RootType,
} from './audit.js';
import * as db from './audit-store.js';

/**
 * Writes the audit record of one change in the caller's transaction (so a rolled-back change leaves no
 * record and a committed one always has its record). `at` is the change's time from the injected clock.
 */
export async function recordChange(tx: Tx, actor: Actor, at: string, change: AuditChange): Promise<void> {
  const resource = change.resource ?? {
    type: ROOT_REFERENCE[change.root.type],
    id: change.root.id,
    summary: change.root.summary,
  };
  const before = redact(change.before);
  const after = redact(change.after);
  await db.insertAuditRecord(tx.db, {
    id: longId(),
    execution_time: at,
    ...actorColumns(actor),
    root_type: change.root.type,
    root_id: change.root.id,
    root_summary: change.root.summary,
    resource_type: resource.type,
    resource_id: resource.id,
    resource_summary: resource.summary,
    action: change.action,
    before_json: before === null ? null : JSON.stringify(before),
    after_json: after === null ? null : JSON.stringify(after),
  });
}

/** What reading the audit log needs. */
export interface AuditDeps {
  store: Store;
  clock: Clock;
}

/** The query of an audit list (REST parameters, already parsed). */
export interface AuditQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  rootTypes?: string[] | undefined;
  actorType?: string | undefined;
  actorId?: string | undefined;
  methodType?: string | undefined;
  truncatedToken?: string | undefined;
  actions?: string[] | undefined;
}

/** One page of records and the cursor of the next (null at the end). */
export interface AuditPage {
  rows: AuditRecordsTable[];
  limit: number;
  nextCursor: string | null;
}

const DAY_MS = 86_400_000;
/** PagerDuty: `until` may not be more than 31 days after `since`. */
const MAX_WINDOW_MS = 31 * DAY_MS;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const invalid = (message: string) => new AppError('invalidInput', [message]);

function parseTime(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(`${name} must be an ISO 8601 date-time`);
  return ms;
}

const encodeCursor = (row: AuditRecordsTable) =>
  Buffer.from(JSON.stringify([row.execution_time, row.id])).toString('base64url');

function decodeCursor(cursor: string): { time: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { time: value[0], id: value[1] };
  } catch {
    // Reported below.
  }
  throw invalid('cursor is not a cursor this API returned');
}

// The audit log shows who changed what everywhere, including users' contact details: admins only
// (full or read-only account tokens included), like PagerDuty's account-wide audit endpoint.
function requireAuditReader(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden');
}

/**
 * A page of records, newest first; `root` narrows to one resource (the per-resource endpoints). The
 * window defaults to the last 24 hours and may span at most 31 days.
 */
export async function listAuditRecords(
  deps: AuditDeps,
  actor: Actor,
  query: AuditQuery,
  root?: { type: RootType; id: string },
): Promise<AuditPage> {
  requireAuditReader(actor);
  const now = deps.clock.now().getTime();
  // `until` is exclusive; its default takes in what was written at this very instant.
  const until = parseTime(query.until, 'until', now + 1);
  const since = parseTime(query.since, 'since', until - DAY_MS);
  if (since >= until) throw invalid('since must be before until');
  if (until - since > MAX_WINDOW_MS) throw invalid('until may not be more than 31 days after since');
  const unknown = (query.rootTypes ?? []).filter((t) => !(ROOT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) throw invalid(`root_resource_types[] has unknown types: ${unknown.join(', ')}`);
  if (query.actorId !== undefined && query.actorType === undefined)
    throw invalid('actor_id must be qualified by actor_type');
  if (query.truncatedToken !== undefined && query.methodType === undefined)
    throw invalid('method_truncated_token must be qualified by method_type');
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const filter: db.AuditFilter = {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    rootTypes: query.rootTypes,
    root,
    actorType: query.actorType,
    actorId: query.actorId,
    methodType: query.methodType,
    truncatedToken: query.truncatedToken,
    actions: query.actions,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
  };
  const rows = await db.listAuditRows(deps.store.db, filter, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, limit, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
