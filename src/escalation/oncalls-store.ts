import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { OnCallEntry } from './oncalls.js';

/** A live user as on-call items show (and, with `include[]=users`, embed) them. */
export interface OnCallUser {
  id: string;
  name: string;
  email: string;
  time_zone: string;
  role: string;
  job_title: string | null;
  description: string | null;
  color: string | null;
}

/** A live schedule as on-call items show (and, with `include[]=schedules`, embed) them. */
export interface OnCallSchedule {
  id: string;
  name: string;
  description: string | null;
  time_zone: string;
}

/** The live users and schedules that on-call entries name, by id. */
export interface OnCallPeople {
  users: Map<string, OnCallUser>;
  schedules: Map<string, OnCallSchedule>;
}

/** Loads the live users and schedules named by the entries (deleted ones are absent). */
export async function onCallPeople(
  db: Kysely<Database>,
  entries: readonly OnCallEntry[],
): Promise<OnCallPeople> {
  const userIds = [...new Set(entries.map((e) => e.userId))];
  const scheduleIds = [...new Set(entries.flatMap((e) => (e.scheduleId === null ? [] : [e.scheduleId])))];
  const users =
    userIds.length === 0
      ? []
      : await db
          .selectFrom('users')
          .select(['id', 'name', 'email', 'time_zone', 'role', 'job_title', 'description', 'color'])
          .where('id', 'in', userIds)
          .where('deleted_at', 'is', null)
          .execute();
  const schedules =
    scheduleIds.length === 0
      ? []
      : await db
          .selectFrom('schedules')
          .select(['id', 'name', 'description', 'time_zone'])
          .where('id', 'in', scheduleIds)
          .where('deleted_at', 'is', null)
          .execute();
  return {
    users: new Map(users.map((u) => [u.id, u])),
    schedules: new Map(schedules.map((s) => [s.id, s])),
  };
}
