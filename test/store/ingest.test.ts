import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent, InboundEvent } from '../../src/events/event.js';
import { parseEventV2 } from '../../src/events/events-v2.js';
import type { AlertGroupingParameters } from '../../src/services/grouping.js';
import { applyEvents, type IngestOutcome } from '../../src/incidents/ingest-service.js';
import { ManualClock } from '../../src/lib/clock.js';
import { openStore, type Store } from '../../src/store/store.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody, type ServiceFixture } from '../harness/factories.js';

function v2(body: Record<string, unknown>): AlertEvent {
  const parsed = parseEventV2(body);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.event;
}

const ack = (key: string, dedup: string) =>
  v2({ routing_key: key, event_action: 'acknowledge', dedup_key: dedup });
const resolve = (key: string, dedup: string) =>
  v2({ routing_key: key, event_action: 'resolve', dedup_key: dedup });

for (const backend of backends()) {
  describe(`ingest on ${backend.name}`, () => {
    let store: Store;
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const apply = (...events: InboundEvent[]): Promise<IngestOutcome[]> =>
      store.transaction((tx) => applyEvents(tx, events, clock.now()));
    const service = (options: ServiceFixture = {}) => insertServiceWithIntegration(store, options);
    const incidents = (serviceId: string) =>
      store.db
        .selectFrom('incidents')
        .selectAll()
        .where('service_id', '=', serviceId)
        .orderBy('incident_number')
        .execute();
    const logTypes = async (incidentId: string) =>
      (
        await store.db
          .selectFrom('log_entries')
          .select('type')
          .where('incident_id', '=', incidentId)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      ).map((r) => r.type);

    beforeAll(async () => {
      store = await openStore(backend.fresh(), { pgPoolSize: 4 });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it('opens an incident with one alert for a new dedup key', async () => {
      const { serviceId, key } = await service();
      const [outcome] = await apply(v2(triggerBody(key, 'disk-1')));
      expect(outcome).toMatchObject({ status: 'accepted', result: 'incident_created', dedupKey: 'disk-1' });
      const [incident] = await incidents(serviceId);
      expect(incident).toMatchObject({
        status: 'triggered',
        urgency: 'high',
        title: 'Disk full on disk-1',
        alerts_triggered: 1,
        incident_key: null,
      });
      expect(await logTypes(incident!.id)).toEqual(['trigger_log_entry']);
    });

    it('generates a 32-character dedup key for a trigger without one, and never dedups such triggers', async () => {
      const { serviceId, key } = await service();
      const [a, b] = await apply(v2(triggerBody(key)), v2(triggerBody(key)));
      expect(a).toMatchObject({ result: 'incident_created' });
      expect(b).toMatchObject({ result: 'incident_created' });
      if (a?.status !== 'accepted' || b?.status !== 'accepted') throw new Error('not accepted');
      expect(a.dedupKey).toMatch(/^[0-9a-f]{32}$/);
      expect(a.dedupKey).not.toEqual(b.dedupKey);
      expect(await incidents(serviceId)).toHaveLength(2);
    });

    it('updates the open alert on a repeated trigger, keeps the incident title and logs the trigger', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'cpu')));
      const [again] = await apply(
        v2(triggerBody(key, 'cpu', { payload: { summary: 'CPU still high', severity: 'warning' } })),
      );
      expect(again).toMatchObject({ result: 'alert_updated' });
      const [incident, ...rest] = await incidents(serviceId);
      expect(rest).toHaveLength(0);
      expect(incident?.title).toBe('Disk full on cpu');
      const alert = await store.db
        .selectFrom('alerts')
        .selectAll()
        .where('incident_id', '=', incident!.id)
        .executeTakeFirstOrThrow();
      expect(alert).toMatchObject({ summary: 'CPU still high', severity: 'warning', status: 'triggered' });
      expect(await logTypes(incident!.id)).toEqual(['trigger_log_entry', 'trigger_log_entry']);
    });

    it('acknowledges and then resolves the incident of an open alert', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'db')));
      expect(await apply(ack(key, 'db'))).toMatchObject([{ result: 'acknowledged' }]);
      expect(await apply(ack(key, 'db'))).toMatchObject([{ result: 'no_change' }]);
      expect(await apply(resolve(key, 'db'))).toMatchObject([{ result: 'resolved' }]);
      const [incident] = await incidents(serviceId);
      expect(incident).toMatchObject({ status: 'resolved', alerts_triggered: 0, alerts_resolved: 1 });
      expect(JSON.parse(incident!.acknowledgements)).toHaveLength(1);
      expect(await logTypes(incident!.id)).toEqual([
        'trigger_log_entry',
        'acknowledge_log_entry',
        'resolve_log_entry',
      ]);
    });

    it('opens a new alert and incident when a resolved key triggers again', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'web')), resolve(key, 'web'));
      expect(await apply(v2(triggerBody(key, 'web')))).toMatchObject([{ result: 'incident_created' }]);
      const list = await incidents(serviceId);
      expect(list.map((i) => i.status)).toEqual(['resolved', 'triggered']);
    });

    it('records acknowledge and resolve of unknown or resolved keys as dropped, with the reason', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'gone')), resolve(key, 'gone'));
      const outcomes = await apply(ack(key, 'never-seen'), resolve(key, 'gone'));
      expect(outcomes).toMatchObject([
        { status: 'accepted', result: 'dropped', dropReason: 'unknown_dedup_key' },
        { status: 'accepted', result: 'dropped', dropReason: 'alert_already_resolved' },
      ]);
      const dropped = await store.db
        .selectFrom('dropped_events')
        .selectAll()
        .where('service_id', '=', serviceId)
        .orderBy('reason')
        .execute();
      expect(dropped.map((d) => [d.reason, d.event_action, d.dedup_key])).toEqual([
        ['alert_already_resolved', 'resolve', 'gone'],
        ['unknown_dedup_key', 'acknowledge', 'never-seen'],
      ]);
    });

    it('scopes dedup to the routing key: another integration cannot acknowledge the alert', async () => {
      const first = await service();
      const second = await service();
      await apply(v2(triggerBody(first.key, 'shared-key')));
      expect(await apply(ack(second.key, 'shared-key'))).toMatchObject([
        { result: 'dropped', dropReason: 'unknown_dedup_key' },
      ]);
      expect(await apply(v2(triggerBody(second.key, 'shared-key')))).toMatchObject([
        { result: 'incident_created' },
      ]);
    });

    it('answers an unknown routing key as invalid and stores nothing', async () => {
      expect(await apply(v2(triggerBody('0'.repeat(32), 'x')))).toEqual([{ status: 'invalid_routing_key' }]);
    });

    it('drops triggers to a disabled service but still updates an alert that was already open', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'before')));
      await store.db
        .updateTable('services')
        .set({ status: 'disabled' })
        .where('id', '=', serviceId)
        .execute();
      const outcomes = await apply(v2(triggerBody(key, 'after')), v2(triggerBody(key, 'before')));
      expect(outcomes).toMatchObject([
        { result: 'dropped', dropReason: 'service_disabled' },
        { result: 'alert_updated' },
      ]);
      expect(await incidents(serviceId)).toHaveLength(1);
    });

    it('resolves the incident only when all its grouped alerts are resolved', async () => {
      const { serviceId, key } = await service({ grouping: { type: 'time', config: { timeout: 0 } } });
      const outcomes = await apply(v2(triggerBody(key, 'a')), v2(triggerBody(key, 'b')));
      expect(outcomes).toMatchObject([{ result: 'incident_created' }, { result: 'alert_grouped' }]);
      expect(await apply(resolve(key, 'a'))).toMatchObject([{ result: 'no_change' }]);
      expect((await incidents(serviceId))[0]).toMatchObject({
        status: 'triggered',
        alerts_triggered: 1,
        alerts_resolved: 1,
      });
      expect(await apply(resolve(key, 'b'))).toMatchObject([{ result: 'resolved' }]);
      expect((await incidents(serviceId))[0]).toMatchObject({
        status: 'resolved',
        alerts_triggered: 0,
        alerts_resolved: 2,
      });
    });

    it('groups by time only within the window after the incident opened', async () => {
      const { serviceId, key } = await service({ grouping: { type: 'time', config: { timeout: 5 } } });
      await apply(v2(triggerBody(key, 't1')));
      clock.advance(4 * 60_000);
      expect(await apply(v2(triggerBody(key, 't2')))).toMatchObject([{ result: 'alert_grouped' }]);
      clock.advance(2 * 60_000);
      expect(await apply(v2(triggerBody(key, 't3')))).toMatchObject([{ result: 'incident_created' }]);
      expect(await incidents(serviceId)).toHaveLength(2);
    });

    it('groups by content on all chosen fields, and stops grouping once the incident is resolved', async () => {
      const grouping = {
        type: 'content_based',
        config: { aggregate: 'all', fields: ['source', 'component'], time_window: 0 },
      } satisfies AlertGroupingParameters;
      const { serviceId, key } = await service({ grouping });
      const body = (dedup: string, source: string) =>
        triggerBody(key, dedup, { payload: { source, component: 'disk' } });
      const outcomes = await apply(v2(body('c1', 'db-1')), v2(body('c2', 'db-1')), v2(body('c3', 'db-2')));
      expect(outcomes.map((o) => (o.status === 'accepted' ? o.result : o.status))).toEqual([
        'incident_created',
        'alert_grouped',
        'incident_created',
      ]);
      const [first] = await incidents(serviceId);
      await apply(resolve(key, 'c1'), resolve(key, 'c2'));
      expect((await incidents(serviceId))[0]?.id).toBe(first?.id);
      expect(await apply(v2(body('c4', 'db-1')))).toMatchObject([{ result: 'incident_created' }]);
    });

    it('groups by content on any field within a rolling window', async () => {
      const grouping = {
        type: 'content_based',
        config: { aggregate: 'any', fields: ['source', 'class'], time_window: 300 },
      } satisfies AlertGroupingParameters;
      const { key } = await service({ grouping });
      await apply(v2(triggerBody(key, 'r1', { payload: { source: 'h1', class: 'disk' } })));
      clock.advance(240_000);
      expect(
        await apply(v2(triggerBody(key, 'r2', { payload: { source: 'h2', class: 'disk' } }))),
      ).toMatchObject([{ result: 'alert_grouped' }]);
      clock.advance(240_000);
      // Eight minutes after the first alert, but four after the second: the window rolls.
      expect(
        await apply(v2(triggerBody(key, 'r3', { payload: { source: 'h2', class: 'net' } }))),
      ).toMatchObject([{ result: 'alert_grouped' }]);
      clock.advance(301_000);
      expect(
        await apply(v2(triggerBody(key, 'r4', { payload: { source: 'h2', class: 'net' } }))),
      ).toMatchObject([{ result: 'incident_created' }]);
    });

    it('sets urgency from a severity-based rule: critical and error high, warning and info low', async () => {
      const { serviceId, key } = await service({
        urgencyRule: { type: 'constant', urgency: 'severity_based' },
      });
      const severities = ['critical', 'error', 'warning', 'info'];
      await apply(
        ...severities.map((severity, i) => v2(triggerBody(key, `s${i}`, { payload: { severity } }))),
      );
      expect((await incidents(serviceId)).map((i) => i.urgency)).toEqual(['high', 'high', 'low', 'low']);
    });

    it('sets incident_key to the dedup key only on services that create incidents without alerts', async () => {
      const { serviceId, key } = await service({ alertCreation: 'create_incidents' });
      await apply(v2(triggerBody(key, 'legacy-key')));
      expect((await incidents(serviceId))[0]?.incident_key).toBe('legacy-key');
    });

    it('numbers incidents sequentially across services', async () => {
      const a = await service();
      const b = await service();
      await apply(v2(triggerBody(a.key, 'n1')), v2(triggerBody(b.key, 'n2')), v2(triggerBody(a.key, 'n3')));
      const numbers = (
        await store.db.selectFrom('incidents').select('incident_number').orderBy('incident_number').execute()
      ).map((r) => r.incident_number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    });

    it('applies a batch in arrival order: trigger, acknowledge and resolve of one key in one commit', async () => {
      const { serviceId, key } = await service();
      const outcomes = await apply(v2(triggerBody(key, 'fast')), ack(key, 'fast'), resolve(key, 'fast'));
      expect(outcomes.map((o) => (o.status === 'accepted' ? o.result : o.status))).toEqual([
        'incident_created',
        'acknowledged',
        'resolved',
      ]);
      expect((await incidents(serviceId))[0]?.status).toBe('resolved');
    });

    it('treats keys with lone surrogates the same way on both backends', async () => {
      const { serviceId, key } = await service();
      await apply(v2(triggerBody(key, 'x\ud800')));
      expect(await apply(v2(triggerBody(key, 'x\udfff')))).toMatchObject([{ result: 'alert_updated' }]);
      expect(await incidents(serviceId)).toHaveLength(1);
    });

    it('dedups keys containing NUL characters the same way on both backends', async () => {
      const { serviceId, key } = await service();
      const nul = 'key\u0000with-nul';
      expect(await apply(v2(triggerBody(key, nul)))).toMatchObject([{ result: 'incident_created' }]);
      expect(await apply(v2(triggerBody(key, nul)))).toMatchObject([{ result: 'alert_updated' }]);
      expect(await apply(resolve(key, nul))).toMatchObject([{ result: 'resolved' }]);
      expect((await incidents(serviceId)).map((i) => i.status)).toEqual(['resolved']);
    });

    it('records change events without opening incidents', async () => {
      const { serviceId, key } = await service();
      const outcomes = await apply({
        kind: 'change',
        routingKey: key,
        summary: 'Deployed v2',
        source: 'ci',
        timestamp: undefined,
        customDetails: { sha: 'abc' },
        links: [],
        images: [],
      });
      expect(outcomes).toMatchObject([{ result: 'change_recorded' }]);
      expect(await incidents(serviceId)).toHaveLength(0);
      expect(
        await store.db
          .selectFrom('change_events')
          .select('summary')
          .where('service_id', '=', serviceId)
          .execute(),
      ).toEqual([{ summary: 'Deployed v2' }]);
    });
  });
}
