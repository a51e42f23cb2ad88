import { listAll } from '../../api/lists.js';
import type { Reference, User } from '../../api/types.js';

/** A team with its description. */
export interface TeamObject {
  id: string;
  name: string;
  description: string | null;
  summary?: string;
}

/** A member of a team with their team role. */
export interface Member {
  user: Reference;
  role: 'manager' | 'responder' | 'observer';
}

/** One entry of `GET /oncalls`. */
export interface OnCall {
  escalation_policy: Reference;
  escalation_level: number;
  schedule: Reference | null;
  user: Reference;
  start: string | null;
  end: string | null;
}

/** Every live user (up to 2000), by name. */
export function loadUsers(signal?: AbortSignal): Promise<User[]> {
  return listAll<'users', User>('users', 'users', {}, 2000, signal);
}

/** Every team (up to 1000). */
export function loadTeams(signal?: AbortSignal): Promise<TeamObject[]> {
  return listAll<'teams', TeamObject>('teams', 'teams', {}, 1000, signal);
}

/** Who is on call now, optionally only for some policies. */
export function loadOnCalls(policyIds?: string[], signal?: AbortSignal): Promise<OnCall[]> {
  const query = policyIds ? { escalation_policy_ids: policyIds } : {};
  return listAll<'oncalls', OnCall>('oncalls', 'oncalls', query, 5000, signal);
}

/** Whether a role may change configuration (services, policies, schedules). */
export function canConfigure(role: string): boolean {
  return role === 'admin' || role === 'manager' || role === 'owner';
}

/** "2 h 5 min", "45 s": a duration in seconds in words. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.round(h / 24)} d`;
}
