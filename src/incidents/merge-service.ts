import { canRespond, type Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import type { Links } from '../http/rest.js';
import type { Tx } from '../store/store.js';
import { agentFor, restChannel } from './incident-agent.js';
import type { IncidentActionDeps } from './incident-service.js';
import { incidentViews, type IncidentView } from './incident-reads.js';
import * as incidents from './incident-store.js';
import { resolveIncident, type AgentRef } from './transitions.js';

/** PagerDuty's cap on the alerts of a merged incident. */
export const MAX_MERGED_ALERTS = 1000;

/** Whether an incident was resolved by being merged into another. */
function wasMerged(row: incidents.IncidentRow): boolean {
  if (row.resolve_reason === null) return false;
  return (JSON.parse(row.resolve_reason) as { type?: string }).type === 'merge_resolve_reason';
}

async function loadLocked(tx: Tx, ids: readonly string[]): Promise<Map<string, incidents.IncidentRow>> {
  const found = new Map<string, incidents.IncidentRow>();
  for (const id of ids) {
    const row = await incidents.findIncident(tx.db, id);
    if (!row) throw new AppError('notFound', [`Incident ${id} not found`]);
    found.set(id, row);
  }
  // Locks in one order (by id) so two merges over the same incidents never wait on each other in a cycle.
  const sorted = [...new Set([...found.values()].map((r) => r.id))].sort();
  for (const id of sorted) await incidents.lockIncident(tx.db, id);
  for (const [asked, row] of found) found.set(asked, (await incidents.findIncident(tx.db, row.id))!);
  return found;
}

async function moveAlerts(tx: Tx, from: incidents.IncidentRow, to: incidents.IncidentRow, at: string) {
  await tx.raw.run(`UPDATE alerts SET incident_id = ?, updated_at = ? WHERE incident_id = ?`, [
    to.id,
    at,
    from.id,
  ]);
  await tx.raw.run(
    `UPDATE incidents SET alerts_triggered = alerts_triggered + ?, alerts_resolved = alerts_resolved + ?, updated_at = ? WHERE id = ?`,
    [Number(from.alerts_triggered), Number(from.alerts_resolved), at, to.id],
  );
  await tx.raw.run(`UPDATE incidents SET alerts_triggered = 0, alerts_resolved = 0 WHERE id = ?`, [from.id]);
}

async function resolveAsMerged(
  tx: Tx,
  links: Links,
  source: incidents.IncidentRow,
  target: incidents.IncidentRow,
  agent: AgentRef,
  at: string,
) {
  const summary = `[#${target.incident_number}] ${target.title}`;
  const reason = {
    type: 'merge_resolve_reason',
    incident: links.reference('incident', 'incidents', target.id, summary),
  };
  await tx.raw.run(`UPDATE incidents SET resolve_reason = ? WHERE id = ?`, [
    JSON.stringify(reason),
    source.id,
  ]);
  await resolveIncident(tx, source, agent, restChannel, at); // ends its timers and pending notifications
  await tx.raw.run(
    `UPDATE log_entries SET summary = ?, note = ? WHERE incident_id = ? AND type = 'resolve_log_entry' AND created_at = ?`,
    [`Resolved by ${agent.summary}: merged into ${summary}.`, `Merged into ${summary}`, source.id, at],
  );
}

/**
 * Merges source incidents into an open target: their alerts move to the target, and each source is
 * resolved with a `merge_resolve_reason`, its timers and pending notifications ended. All in one
 * transaction; an incident already merged answers 1019, any other resolved incident 1001.
 */
export async function mergeIncidents(
  deps: IncidentActionDeps & { links: Links },
  actor: Actor,
  from: string | undefined,
  targetId: string,
  sourceIds: readonly string[],
): Promise<IncidentView> {
  if (!canRespond(actor)) throw new AppError('forbidden');
  const agent = await agentFor(deps.store.db, actor, from);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const rows = await loadLocked(tx, [targetId, ...sourceIds]);
    const target = rows.get(targetId)!;
    if (wasMerged(target))
      throw new AppError('alreadyMerged', [`Incident ${targetId} was merged into another`]);
    if (target.status === 'resolved')
      throw new AppError('alreadyResolved', [
        `Incident ${targetId} is resolved: merge into an open incident`,
      ]);
    const sources = [...new Map(sourceIds.map((id) => [rows.get(id)!.id, rows.get(id)!])).values()];
    const errors: string[] = [];
    for (const s of sources) if (s.id === target.id) errors.push('An incident cannot be merged into itself');
    if (errors.length > 0) throw new AppError('invalidInput', errors);
    for (const s of sources) {
      if (wasMerged(s))
        throw new AppError('alreadyMerged', [`Incident ${s.incident_number} is already merged`]);
      if (s.status === 'resolved')
        throw new AppError('alreadyResolved', [`Incident ${s.incident_number} is already resolved`]);
    }
    const alerts = [target, ...sources].reduce(
      (n, r) => n + Number(r.alerts_triggered) + Number(r.alerts_resolved),
      0,
    );
    if (alerts > MAX_MERGED_ALERTS)
      throw new AppError('invalidInput', [`A merged incident can hold at most ${MAX_MERGED_ALERTS} alerts`]);
    for (const s of sources) {
      await moveAlerts(tx, s, target, at);
      await resolveAsMerged(tx, deps.links, s, target, agent, at);
    }
    const [view] = await incidentViews(tx.db, [(await incidents.findIncident(tx.db, target.id))!]);
    return view!;
  });
}
