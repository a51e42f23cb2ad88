import type { User } from './types.js';

/*
 * What the signed-in person may do, from their role as the API shows it (PagerDuty's names: admin,
 * user = manager, limited_user = responder, observer). The pages hide what the server would refuse;
 * the server still decides (a manager of another team gets its 403, shown as an error).
 */

/** Admins and managers change configuration (services, integrations, policies, schedules). */
export function canConfigure(user: User): boolean {
  return user.role === 'admin' || user.role === 'user' || user.role === 'manager';
}

/** Everyone but observers acts on incidents. */
export function canRespond(user: User): boolean {
  return user.role !== 'observer' && user.role !== 'read_only_user' && user.role !== 'read_only_limited_user';
}
