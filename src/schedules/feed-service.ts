import { canConfigure, type Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { secretToken } from '../lib/ids.js';
import type { UsersTable } from '../store/database.js';
import { renderSchedule } from './final-schedule.js';
import { FEED_WINDOW, renderFeed, type FeedShift } from './ical-feed.js';
import { overridesOf } from './render-window.js';
import { scheduleFromRow, type Schedule } from './schedule.js';
import * as feeds from './feed-store.js';
import { requireScheduleScope } from './schedule-access.js';
import { overrideRows } from './override-store.js';
import * as db from './schedule-store.js';
import { liveSchedule, requireConfigure, type ScheduleDeps } from './schedule-service.js';

const DAY = 86_400_000;

/** A new feed token (the secret part of a feed URL). */
const newToken = () => secretToken(24);

async function shiftsOf(
  deps: ScheduleDeps,
  schedule: Schedule,
  since: string,
  until: string,
): Promise<FeedShift[]> {
  const rows = await overrideRows(deps.store.db, schedule.id, since, until);
  const definition = { time_zone: schedule.timeZone, layers: schedule.layers, overrides: overridesOf(rows) };
  // Overflow keeps each shift's full extent, so the first shift's UID does not move with the window.
  const final = renderSchedule(definition, since, until, { overflow: true }).final_schedule;
  const ids = [...new Set(final.rendered_schedule_entries.map((e) => e.user))];
  const names = new Map((await db.usersByIds(deps.store.db, ids)).map((u) => [u.id, u.name]));
  return final.rendered_schedule_entries.map((e) => ({
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    userId: e.user,
    userName: names.get(e.user) ?? e.user,
    start: Date.parse(e.start),
    end: Date.parse(e.end),
  }));
}

function feedWindow(deps: ScheduleDeps): { since: string; until: string } {
  const now = deps.clock.now().getTime();
  return {
    since: new Date(now - FEED_WINDOW.backDays * DAY).toISOString(),
    until: new Date(now + FEED_WINDOW.aheadDays * DAY).toISOString(),
  };
}

/** The iCalendar text of a schedule's feed, or undefined for an unknown (or rotated) token. */
export async function scheduleFeed(
  deps: ScheduleDeps,
  token: string,
  url: string,
): Promise<string | undefined> {
  const row = await feeds.findScheduleByToken(deps.store.db, token);
  if (!row) return undefined;
  const schedule = scheduleFromRow(row);
  const { since, until } = feedWindow(deps);
  return renderFeed(schedule.name, await shiftsOf(deps, schedule, since, until), deps.clock.now(), url);
}

/** The iCalendar text of a user's shifts across every schedule, or undefined for an unknown token. */
export async function userFeed(deps: ScheduleDeps, token: string, url: string): Promise<string | undefined> {
  const user = await feeds.findUserByToken(deps.store.db, token);
  if (!user) return undefined;
  const { since, until } = feedWindow(deps);
  const shifts: FeedShift[] = [];
  for (const row of await feeds.scheduleRowsOfUser(deps.store.db, user.id, since, until))
    shifts.push(
      ...(await shiftsOf(deps, scheduleFromRow(row), since, until)).filter((s) => s.userId === user.id),
    );
  shifts.sort((a, b) => a.start - b.start || a.scheduleId.localeCompare(b.scheduleId));
  return renderFeed(`On call: ${user.name}`, shifts, deps.clock.now(), url);
}

/** Gives a schedule a new feed token; the old URL stops working at once (admins, managers of its teams). */
export async function rotateScheduleFeed(deps: ScheduleDeps, actor: Actor, id: string): Promise<string> {
  requireConfigure(actor);
  await liveSchedule(deps, id);
  await requireScheduleScope(deps.store, actor, id);
  const token = newToken();
  await db.updateScheduleRow(deps.store.db, id, {
    ical_token: token,
    updated_at: deps.clock.now().toISOString(),
  });
  return token;
}

async function feedUser(deps: ScheduleDeps, actor: Actor, userId: string): Promise<UsersTable> {
  const [user] = await db.usersByIds(deps.store.db, [userId]);
  if (!user || user.deleted_at !== null) throw new AppError('notFound');
  // Feed URLs are secrets: a user sees and rotates their own; admins and managers anyone's.
  if (!canConfigure(actor) && (actor.readOnly || actor.userId !== userId)) throw new AppError('forbidden');
  return user;
}

/** A user's feed token, made on first request. */
export async function userFeedToken(deps: ScheduleDeps, actor: Actor, userId: string): Promise<string> {
  const user = await feedUser(deps, actor, userId);
  if (user.ical_token !== null) return user.ical_token;
  await feeds.setUserToken(deps.store.db, userId, newToken(), true);
  // Two first requests may race; both answer with the token that won.
  const [after] = await db.usersByIds(deps.store.db, [userId]);
  return after!.ical_token!;
}

/** Gives a user's feed a new token; the old URL stops working at once. */
export async function rotateUserFeed(deps: ScheduleDeps, actor: Actor, userId: string): Promise<string> {
  await feedUser(deps, actor, userId);
  const token = newToken();
  await feeds.setUserToken(deps.store.db, userId, token, false);
  return token;
}
