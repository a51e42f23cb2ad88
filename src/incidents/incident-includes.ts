import type { Actor } from '../auth/actor.js';
import { getPolicy } from '../escalation/escalation-policy-service.js';
import { presentPolicy } from '../escalation/presenters.js';
import type { Links } from '../http/rest.js';
import type { Clock } from '../lib/clock.js';
import { presentService } from '../services/presenters.js';
import { getService } from '../services/service-service.js';
import type { Store } from '../store/store.js';
import { presentUser } from '../users/presenters.js';
import { getUser } from '../users/user-service.js';
import { getLogEntry } from './incident-reads.js';
import { presentLogEntry } from './presenters.js';

/** What expanding `include[]` needs. */
export interface IncludeDeps {
  store: Store;
  clock: Clock;
  links: Links;
}

type Json = Record<string, unknown>;
type Ref = Json & { id: string };

/** Loads each distinct id once; an id that no longer loads (deleted) keeps its reference. */
async function loadAll(
  ids: Iterable<string>,
  load: (id: string) => Promise<Json>,
): Promise<Map<string, Json>> {
  const found = new Map<string, Json>();
  for (const id of new Set(ids)) {
    try {
      found.set(id, await load(id));
    } catch {
      // A deleted service, policy or user stays a reference.
    }
  }
  return found;
}

const refOf = (value: unknown): Ref | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Ref).id === 'string'
    ? (value as Ref)
    : undefined;

/**
 * Replaces references of presented incidents with whole objects, as PagerDuty's `include[]` does:
 * `services`, `escalation_policies`, `assignees` (and `users`: assignees and acknowledgers),
 * `acknowledgers` and `first_trigger_log_entries`. `priorities` and `conference_bridge` are always whole;
 * `teams` and `agents` stay references.
 */
export async function expandIncludes<T extends object>(
  deps: IncludeDeps,
  actor: Actor,
  incidents: T[],
  include: readonly string[] | undefined,
): Promise<T[]> {
  if (!include?.length || incidents.length === 0) return incidents;
  const wants = new Set(include);
  const list = incidents.map((i) => structuredClone(i) as unknown as Json);
  const assignees = (i: Json) =>
    (i.assignments as { assignee: unknown }[]).map((a) => refOf(a.assignee)?.id ?? '');
  const acknowledgers = (i: Json) =>
    (i.acknowledgements as { acknowledger: unknown }[])
      .map((a) => refOf(a.acknowledger))
      .filter((r): r is Ref => r?.type === 'user_reference')
      .map((r) => r.id);
  const services = wants.has('services')
    ? await loadAll(
        list.map((i) => refOf(i.service)!.id),
        async (id) => presentService(deps.links, await getService(deps, actor, id)),
      )
    : new Map<string, Json>();
  const policies = wants.has('escalation_policies')
    ? await loadAll(
        list.map((i) => refOf(i.escalation_policy)?.id).filter((id): id is string => id !== undefined),
        async (id) => presentPolicy(deps.links, await getPolicy(deps, actor, id)),
      )
    : new Map<string, Json>();
  const withAssignees = wants.has('assignees') || wants.has('users');
  const withAcknowledgers = wants.has('acknowledgers') || wants.has('users');
  const userIds = list.flatMap((i) => [
    ...(withAssignees ? assignees(i) : []),
    ...(withAcknowledgers ? acknowledgers(i) : []),
  ]);
  const users = await loadAll(userIds, async (id) => presentUser(deps.links, await getUser(deps, actor, id)));
  const entries = wants.has('first_trigger_log_entries')
    ? await loadAll(
        list.map((i) => refOf(i.first_trigger_log_entry)?.id).filter((id): id is string => id !== undefined),
        async (id) => presentLogEntry(deps.links, await getLogEntry(deps.store.db, id)),
      )
    : new Map<string, Json>();
  for (const i of list) {
    i.service = services.get(refOf(i.service)!.id) ?? i.service;
    const policy = refOf(i.escalation_policy);
    if (policy) i.escalation_policy = policies.get(policy.id) ?? i.escalation_policy;
    const entry = refOf(i.first_trigger_log_entry);
    if (entry) i.first_trigger_log_entry = entries.get(entry.id) ?? i.first_trigger_log_entry;
    if (withAssignees)
      for (const a of i.assignments as Json[]) a.assignee = users.get(refOf(a.assignee)!.id) ?? a.assignee;
    if (withAcknowledgers)
      for (const a of i.acknowledgements as Json[]) {
        const ref = refOf(a.acknowledger);
        if (ref?.type === 'user_reference') a.acknowledger = users.get(ref.id) ?? a.acknowledger;
      }
  }
  return list as unknown as T[];
}
