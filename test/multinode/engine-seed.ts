import { longId } from '../../src/lib/ids.js';
import type { Store } from '../../src/store/store.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import { configureService, insertPolicy, insertUser } from '../harness/on-call-fixtures.js';

/** The people and policy of an escalation fleet: level 1 user A, level 2 user B, 1 minute apart. */
export interface EscalationSetup {
  serviceId: string;
  policyId: string;
  userA: string;
  userB: string;
  /** User B's contact methods that his high-urgency rules (both immediate) page. */
  contactMethodsB: string[];
}

/** Seeds the service, the two-level policy and its two users (B: email and push, both at once; SMS would be throttled). */
export async function seedEscalationSetup(store: Store): Promise<EscalationSetup> {
  const userA = await insertUser(store, 'Alice');
  const userB = await insertUser(store, 'Bob', [
    ['high', 0, 'email'],
    ['high', 0, 'push'],
  ]);
  const policyId = await insertPolicy(store, [
    { delay: 1, targets: [`user:${userA}`] },
    { delay: 1, targets: [`user:${userB}`] },
  ]);
  const { serviceId } = await insertServiceWithIntegration(store);
  await configureService(store, serviceId, policyId, { ack: null, autoResolve: null });
  const rules = await store.db
    .selectFrom('notification_rules')
    .select('contact_method_id')
    .where('user_id', '=', userB)
    .execute();
  return { serviceId, policyId, userA, userB, contactMethodsB: rules.map((r) => r.contact_method_id) };
}

/**
 * Inserts `count` triggered incidents already assigned to user A at level 1 (assignment 1), each with
 * an `escalate` timer (seq 1) due at `dueAt(i)`: the state the engine leaves an incident in after its
 * assignment, one level-1 delay earlier. Returns the incident ids and their timers' due times.
 */
export async function seedDueEscalations(
  store: Store,
  setup: EscalationSetup,
  count: number,
  dueAt: (i: number) => Date,
  firstNumber = 1,
): Promise<{ incidentIds: string[]; due: Map<string, string> }> {
  const at = new Date().toISOString();
  const incidentIds: string[] = [];
  const due = new Map<string, string>();
  await store.db.transaction().execute(async (trx) => {
    for (let start = 0; start < count; start += 500) {
      const slice = Array.from({ length: Math.min(500, count - start) }, (_, k) => start + k);
      const ids = slice.map(() => longId());
      await trx
        .insertInto('incidents')
        .values(
          slice.map((i, k) => ({
            id: ids[k]!,
            incident_number: firstNumber + i,
            title: `Multinode ${i}`,
            service_id: setup.serviceId,
            status: 'triggered',
            urgency: 'high',
            incident_key: `multinode-${i}`,
            escalation_policy_id: setup.policyId,
            alerts_triggered: 1,
            alerts_resolved: 0,
            acknowledgements: '[]',
            last_status_change_at: at,
            last_status_change_by: null,
            resolve_reason: null,
            created_at: at,
            updated_at: at,
            resolved_at: null,
            escalation_level: 1,
            escalation_loops: 0,
            assigned_via: 'escalation_policy',
            assignment_seq: 1,
          })),
        )
        .execute();
      await trx
        .insertInto('incident_assignments')
        .values(ids.map((id) => ({ incident_id: id, user_id: setup.userA, assigned_at: at })))
        .execute();
      const timers = slice.map((i, k) => ({
        id: longId(),
        kind: 'escalate',
        incident_id: ids[k]!,
        due_at: dueAt(i).toISOString(),
        payload: JSON.stringify({ seq: 1 }),
        attempts: 0,
        dedup_key: null,
        created_at: at,
      }));
      await trx.insertInto('timers').values(timers).execute();
      for (const t of timers) due.set(t.incident_id, t.due_at);
      incidentIds.push(...ids);
    }
  });
  return { incidentIds, due };
}
