import { afterAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/events/event.js';
import { parseEventV2 } from '../../src/events/events-v2.js';
import { applyEvents } from '../../src/incidents/ingest-service.js';
import { loadIncidentState, resolveIncident } from '../../src/incidents/transitions.js';
import { openStore, type Store } from '../../src/store/store.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';

function v2(body: Record<string, unknown>): AlertEvent {
  const parsed = parseEventV2(body);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.event;
}

/** Two "nodes": two stores on one PostgreSQL schema; on SQLite (one writer by design) one store twice. */
async function twoNodes(
  backend: ReturnType<typeof backends>[number],
): Promise<[Store, Store, () => Promise<void>]> {
  const target = backend.fresh();
  const a = await openStore(target, { pgPoolSize: 8 });
  if (target.kind === 'sqlite') return [a, a, () => a.close()];
  const b = await openStore(target, { pgPoolSize: 8 });
  return [a, b, async () => Promise.all([a.close(), b.close()]).then(() => undefined)];
}

for (const backend of backends()) {
  describe(`concurrent ingest on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('keeps one open alert per dedup key and unique incident numbers when nodes race on the same keys', async () => {
      const [a, b, close] = await twoNodes(backend);
      const { key } = await insertServiceWithIntegration(a);
      const now = new Date();
      const batches = Array.from({ length: 16 }, (_, i) =>
        (i % 2 === 0 ? a : b).transaction((tx) =>
          applyEvents(
            tx,
            Array.from({ length: 20 }, (_, k) => v2(triggerBody(key, `race-${(k + i) % 25}`))),
            now,
          ),
        ),
      );
      await Promise.all(batches);
      const open = await a.db
        .selectFrom('alerts')
        .select('alert_key')
        .where('status', '=', 'triggered')
        .execute();
      expect(open).toHaveLength(25);
      expect(new Set(open.map((r) => r.alert_key)).size).toBe(25);
      const numbers = (await a.db.selectFrom('incidents').select('incident_number').execute()).map(
        (r) => r.incident_number,
      );
      expect(numbers).toHaveLength(25);
      expect(new Set(numbers).size).toBe(25);
      await close();
    });

    it('lets exactly one of a concurrent resolve and acknowledge win, leaving a consistent incident', async () => {
      const [a, b, close] = await twoNodes(backend);
      const { key } = await insertServiceWithIntegration(a);
      const now = new Date();
      for (let round = 0; round < 10; round++) {
        const dedup = `ack-vs-resolve-${round}`;
        const [created] = await a.transaction((tx) => applyEvents(tx, [v2(triggerBody(key, dedup))], now));
        const incidentId = created?.status === 'accepted' ? created.incidentId! : '';
        const agent = { id: 'PADMIN1', type: 'user_reference', summary: 'Admin' };
        await Promise.all([
          b.transaction(async (tx) => {
            const state = await loadIncidentState(tx, incidentId);
            if (state) await resolveIncident(tx, state, agent, { type: 'api' }, now.toISOString());
          }),
          a.transaction((tx) =>
            applyEvents(tx, [v2({ routing_key: key, event_action: 'acknowledge', dedup_key: dedup })], now),
          ),
        ]);
        const incident = await a.db
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', incidentId)
          .executeTakeFirstOrThrow();
        expect(incident).toMatchObject({ status: 'resolved', alerts_triggered: 0, alerts_resolved: 1 });
        const types = await a.db
          .selectFrom('log_entries')
          .select('type')
          .where('incident_id', '=', incidentId)
          .execute();
        expect(types.filter((t) => t.type === 'resolve_log_entry')).toHaveLength(1);
      }
      await close();
    });
  });
}
