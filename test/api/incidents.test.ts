import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody, type ServiceFixture } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Incident = Json & { id: string; incident_number: number; title: string };

const DAY = 24 * 60 * 60 * 1000;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('incidents API (reading)', () => {
      let t: TestApp;
      let key: string;
      let serviceId: string;
      let integrationId: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        ({ key, serviceId, integrationId } = await insertServiceWithIntegration(t.store, {
          name: 'Checkout',
        }));
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const send = async (body: Json) => {
        const res = await t.send(body);
        expect(res.statusCode, res.body).toBe(202);
      };
      const event = (action: string, dedupKey: string, to = key) => ({
        routing_key: to,
        event_action: action,
        dedup_key: dedupKey,
      });
      const service = async (options: ServiceFixture) => insertServiceWithIntegration(t.store, options);
      const get = async (url: string) => {
        const res = await t.api('GET', `/api/v2${url}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Json>();
      };
      const incidents = async (query = '') => (await get(`/incidents${query}`)).incidents as Incident[];
      const titles = async (query = '') => (await incidents(query)).map((i) => i.title);
      const status = async (url: string) => (await t.api('GET', `/api/v2${url}`)).statusCode;

      it('lists incidents oldest first with every field PagerDuty presents', async () => {
        await send(triggerBody(key, 'k1'));
        t.clock.advance(1000);
        await send(triggerBody(key, 'k2'));
        const list = await get('/incidents');
        expect(list).toMatchObject({ limit: 25, offset: 0, more: false, total: null });
        const [first, second] = list.incidents as Incident[];
        expect(second?.title).toBe('Disk full on k2');
        const id = first!.id;
        const integrationPath = `services/${serviceId}/integrations/${integrationId}`;
        expect(first).toEqual({
          id,
          type: 'incident',
          summary: '[#1] Disk full on k1',
          self: `${t.baseUrl}/api/v2/incidents/${id}`,
          html_url: `${t.baseUrl}/incidents/${id}`,
          incident_number: 1,
          title: 'Disk full on k1',
          description: 'Disk full on k1',
          created_at: '2026-01-05T09:00:00.000Z',
          updated_at: '2026-01-05T09:00:00.000Z',
          status: 'triggered',
          incident_key: null,
          service: {
            id: serviceId,
            type: 'service_reference',
            summary: 'Checkout',
            self: `${t.baseUrl}/api/v2/services/${serviceId}`,
            html_url: `${t.baseUrl}/services/${serviceId}`,
          },
          assignments: [],
          assigned_via: 'escalation_policy',
          escalation_level: 0,
          acknowledgements: [],
          last_status_change_at: '2026-01-05T09:00:00.000Z',
          last_status_change_by: {
            id: integrationId,
            type: 'events_api_v2_inbound_integration_reference',
            summary: 'Test integration',
            self: `${t.baseUrl}/api/v2/${integrationPath}`,
            html_url: `${t.baseUrl}/${integrationPath}`,
          },
          first_trigger_log_entry: {
            id: expect.stringMatching(/^Q/) as unknown,
            type: 'trigger_log_entry_reference',
            summary: 'Triggered through the API.',
            self: expect.stringMatching(new RegExp(`^${t.baseUrl}/api/v2/log_entries/Q`)) as unknown,
            html_url: expect.stringMatching(
              new RegExp(`^${t.baseUrl}/incidents/${id}/log_entries/Q`),
            ) as unknown,
          },
          escalation_policy: null,
          teams: [],
          urgency: 'high',
          priority: null,
          resolved_at: null,
          alert_counts: { all: 1, triggered: 1, resolved: 0 },
          pending_actions: [{ type: 'resolve', at: '2026-01-05T13:00:00.000Z' }],
          is_mergeable: true,
          resolve_reason: null,
          conference_bridge: null,
          incidents_responders: [],
          responder_requests: [],
        });
      });

      it('filters by statuses[], one or several', async () => {
        for (const k of ['k1', 'k2', 'k3']) await send(triggerBody(key, k));
        await send(event('acknowledge', 'k2'));
        await send(event('resolve', 'k3'));
        expect(await titles('?statuses[]=triggered')).toEqual(['Disk full on k1']);
        expect(await titles('?statuses[]=acknowledged&statuses[]=resolved')).toEqual([
          'Disk full on k2',
          'Disk full on k3',
        ]);
        const bad = await t.api('GET', '/api/v2/incidents?statuses[]=snoozed');
        expect(bad.statusCode).toBe(400);
        expect(bad.json<{ error: Json }>().error.code).toBe(2001);
      });

      it('filters by urgencies[] on a severity-based service', async () => {
        const severity = await service({ urgencyRule: { type: 'constant', urgency: 'severity_based' } });
        await send(triggerBody(severity.key, 'warn', { payload: { severity: 'warning' } }));
        await send(triggerBody(severity.key, 'crit', { payload: { severity: 'critical' } }));
        expect(await titles('?urgencies[]=low')).toEqual(['Disk full on warn']);
        const high = await incidents('?urgencies[]=high');
        expect(high.map((i) => [i.title, i.urgency])).toEqual([['Disk full on crit', 'high']]);
      });

      it('filters by service_ids[]', async () => {
        const other = await service({ name: 'Search' });
        await send(triggerBody(key, 'mine'));
        await send(triggerBody(other.key, 'theirs'));
        expect(await titles(`?service_ids[]=${other.serviceId}`)).toEqual(['Disk full on theirs']);
        expect(await titles(`?service_ids[]=${other.serviceId}&service_ids[]=${serviceId}`)).toHaveLength(2);
      });

      it("matches incident_key against the incident's key or any of its alerts' alert_key", async () => {
        const plain = await service({ alertCreation: 'create_incidents' });
        await send(triggerBody(key, 'disk-1'));
        await send(triggerBody(plain.key, 'disk-2'));
        expect(await titles('?incident_key=disk-1')).toEqual(['Disk full on disk-1']);
        const [withKey] = await incidents('?incident_key=disk-2');
        expect(withKey).toMatchObject({ title: 'Disk full on disk-2', incident_key: 'disk-2' });
        expect(await titles('?incident_key=nothing')).toEqual([]);
      });

      it('filters on created_at with since and until, both inclusive', async () => {
        await send(triggerBody(key, 'monday'));
        t.clock.advance(2 * DAY);
        await send(triggerBody(key, 'wednesday'));
        expect(await titles('?since=2026-01-06T00:00:00Z')).toEqual(['Disk full on wednesday']);
        expect(await titles('?until=2026-01-05T09:00:00Z')).toEqual(['Disk full on monday']);
        const both = '?since=2026-01-05T09:00:00.000Z&until=2026-01-07T09:00:00.000Z';
        expect(await titles(both)).toHaveLength(2);
      });

      it('rejects a bad date, since after until and a range over 6 months', async () => {
        const codes = async (query: string) => {
          const res = await t.api('GET', `/api/v2/incidents${query}`);
          return [res.statusCode, res.json<{ error: Json }>().error.code];
        };
        expect(await codes('?since=yesterday')).toEqual([400, 2001]);
        expect(await codes('?since=2026-01-05T00:00:00Z&until=2026-01-04T00:00:00Z')).toEqual([400, 2001]);
        expect(await codes('?since=2025-06-01T00:00:00Z&until=2026-01-02T00:00:00Z')).toEqual([400, 2001]);
        expect(await status('/incidents?since=2025-07-05T00:00:00Z&until=2026-01-05T00:00:00Z')).toBe(200);
      });

      it('shows only the last month by default, moving with the clock, unless date_range=all', async () => {
        await send(triggerBody(key, 'old'));
        t.clock.advance(20 * DAY);
        expect(await titles()).toEqual(['Disk full on old']);
        t.clock.advance(15 * DAY);
        await send(triggerBody(key, 'new'));
        expect(await titles()).toEqual(['Disk full on new']);
        expect(await titles('?date_range=all')).toEqual(['Disk full on old', 'Disk full on new']);
      });

      it('sorts by sort_by, with up to two fields', async () => {
        const severity = await service({ urgencyRule: { type: 'constant', urgency: 'severity_based' } });
        await send(triggerBody(severity.key, 'a', { payload: { severity: 'info' } }));
        t.clock.advance(1000);
        await send(triggerBody(severity.key, 'b', { payload: { severity: 'critical' } }));
        t.clock.advance(1000);
        await send(triggerBody(severity.key, 'c', { payload: { severity: 'info' } }));
        t.clock.advance(1000);
        await send(event('resolve', 'c', severity.key));
        t.clock.advance(1000);
        await send(event('resolve', 'a', severity.key));
        const order = async (sort: string) =>
          (await incidents(`?sort_by=${sort}`)).map((i) => i.incident_number);
        expect(await order('incident_number:desc')).toEqual([3, 2, 1]);
        expect(await order('created_at:desc')).toEqual([3, 2, 1]);
        expect(await order('urgency:desc,created_at:desc')).toEqual([2, 3, 1]);
        expect(await order('urgency,incident_number:desc')).toEqual([3, 1, 2]);
        expect(await order('resolved_at:asc')).toEqual([3, 1, 2]);
        expect(await order('resolved_at:desc')).toEqual([1, 3, 2]);
        expect(await status('/incidents?sort_by=title')).toBe(400);
        expect(await status('/incidents?sort_by=created_at:up')).toBe(400);
      });

      it('pages with limit and offset, telling more and a total only when asked', async () => {
        for (const k of ['k1', 'k2', 'k3']) await send(triggerBody(key, k));
        const first = await get('/incidents?limit=2');
        expect(first).toMatchObject({ limit: 2, offset: 0, more: true, total: null });
        expect((first.incidents as Incident[]).map((i) => i.incident_number)).toEqual([1, 2]);
        const last = await get('/incidents?limit=2&offset=2&total=true');
        expect(last).toMatchObject({ limit: 2, offset: 2, more: false, total: 3 });
        expect((last.incidents as Incident[]).map((i) => i.incident_number)).toEqual([3]);
        expect(await status('/incidents?limit=101')).toBe(400);
        expect(await status('/incidents?limit=100&offset=9901')).toBe(400);
      });

      it('gets one incident by id or by number, and answers 404 for an unknown one', async () => {
        await send(triggerBody(key, 'k1'));
        const [listed] = await incidents();
        expect(await get(`/incidents/${listed!.id}`)).toEqual({ incident: listed });
        expect(await get('/incidents/1')).toEqual({ incident: listed });
        const missing = await t.api('GET', '/api/v2/incidents/QNOPE');
        expect(missing.statusCode).toBe(404);
        expect(missing.json()).toEqual({ error: { message: 'Not Found', code: 2100, errors: [] } });
        expect(await status('/incidents/42')).toBe(404);
      });

      it('lists the alerts of an incident with their body, integration and references', async () => {
        const grouped = await service({
          name: 'Grouped',
          grouping: { type: 'time', config: { timeout: 0 } },
        });
        const details = { free_space: '1%' };
        await send(
          triggerBody(grouped.key, 'a1', {
            payload: { custom_details: details },
            links: [{ href: 'https://grafana.test/d/1', text: 'Graph' }],
          }),
        );
        t.clock.advance(1000);
        await send(triggerBody(grouped.key, 'a2', { payload: { severity: 'warning' } }));
        await send(event('resolve', 'a1', grouped.key));
        const [incident] = await incidents();
        expect(incident?.alert_counts).toEqual({ all: 2, triggered: 1, resolved: 1 });
        const list = await get(`/incidents/${incident!.id}/alerts?total=true`);
        expect(list).toMatchObject({ limit: 25, offset: 0, more: false, total: 2 });
        const [a1, a2] = list.alerts as (Json & { id: string })[];
        const integrationPath = `services/${grouped.serviceId}/integrations/${grouped.integrationId}`;
        expect(a1).toMatchObject({
          type: 'alert',
          summary: 'Disk full on a1',
          self: `${t.baseUrl}/api/v2/incidents/${incident!.id}/alerts/${a1!.id}`,
          created_at: '2026-01-05T09:00:00.000Z',
          status: 'resolved',
          alert_key: 'a1',
          severity: 'critical',
          suppressed: false,
          service: { id: grouped.serviceId, type: 'service_reference', summary: 'Grouped' },
          incident: { id: incident!.id, type: 'incident_reference', summary: '[#1] Disk full on a1' },
          integration: {
            id: grouped.integrationId,
            type: 'events_api_v2_inbound_integration_reference',
            summary: 'Test integration',
            self: `${t.baseUrl}/api/v2/${integrationPath}`,
          },
          first_trigger_log_entry: { type: 'trigger_log_entry_reference' },
          body: {
            type: 'alert_body',
            details,
            contexts: [{ type: 'link', href: 'https://grafana.test/d/1', text: 'Graph' }],
            cef_details: { summary: 'Disk full on a1', source_origin: 'db-1', severity: 'critical', details },
          },
        });
        expect(a1!.body).not.toHaveProperty('via');
        expect(a2).toMatchObject({ alert_key: 'a2', status: 'triggered', severity: 'warning' });
        expect(await get(`/incidents/${incident!.id}/alerts/${a2!.id}`)).toEqual({ alert: a2 });
        expect(await get(`/incidents/1/alerts/${a2!.id}`)).toEqual({ alert: a2 });
      });

      it('filters alerts by statuses[] and alert_key, pages them, and answers 404s', async () => {
        const grouped = await service({ grouping: { type: 'time', config: { timeout: 0 } } });
        for (const k of ['a1', 'a2', 'a3']) await send(triggerBody(grouped.key, k));
        await send(event('resolve', 'a2', grouped.key));
        const [incident] = await incidents();
        const url = `/incidents/${incident!.id}/alerts`;
        const keys = async (query: string) =>
          ((await get(url + query)).alerts as Json[]).map((a) => a.alert_key);
        expect(await keys('?statuses[]=triggered')).toEqual(['a1', 'a3']);
        expect(await keys('?statuses[]=resolved')).toEqual(['a2']);
        expect(await keys('?alert_key=a3')).toEqual(['a3']);
        expect(await get(`${url}?limit=1&offset=1`)).toMatchObject({ more: true, limit: 1, offset: 1 });
        expect(await status('/incidents/QNOPE/alerts')).toBe(404);
        expect(await status(`${url}/QNOPE`)).toBe(404);
      });

      it('lists the log entries of an incident oldest first, with channel and agent', async () => {
        await send(triggerBody(key, 'k1'));
        t.clock.advance(60_000);
        await send(event('acknowledge', 'k1'));
        t.clock.advance(60_000);
        await send(event('resolve', 'k1'));
        const [incident] = await incidents();
        const list = await get(`/incidents/${incident!.id}/log_entries?total=true&is_overview=true`);
        expect(list).toMatchObject({ limit: 25, offset: 0, more: false, total: 3 });
        const entries = list.log_entries as (Json & { id: string })[];
        expect(entries.map((e) => [e.type, e.created_at])).toEqual([
          ['trigger_log_entry', '2026-01-05T09:00:00.000Z'],
          ['acknowledge_log_entry', '2026-01-05T09:01:00.000Z'],
          ['resolve_log_entry', '2026-01-05T09:02:00.000Z'],
        ]);
        const integrationPath = `services/${serviceId}/integrations/${integrationId}`;
        const [trigger] = entries;
        expect(trigger).toEqual({
          id: trigger!.id,
          type: 'trigger_log_entry',
          summary: 'Triggered through the API.',
          self: `${t.baseUrl}/api/v2/log_entries/${trigger!.id}`,
          html_url: `${t.baseUrl}/incidents/${incident!.id}/log_entries/${trigger!.id}`,
          created_at: '2026-01-05T09:00:00.000Z',
          agent: {
            id: integrationId,
            type: 'events_api_v2_inbound_integration_reference',
            summary: 'Test integration',
            self: `${t.baseUrl}/api/v2/${integrationPath}`,
            html_url: `${t.baseUrl}/${integrationPath}`,
          },
          channel: {
            type: 'api',
            via: 'events_api_v2',
            incident_key: 'k1',
            summary: 'Disk full on k1',
            details: null,
          },
          service: expect.objectContaining({ id: serviceId, type: 'service_reference' }) as unknown,
          incident: expect.objectContaining({ id: incident!.id, summary: '[#1] Disk full on k1' }) as unknown,
          teams: [],
          contexts: [],
          event_details: { description: 'Disk full on k1' },
        });
        expect(incident!.first_trigger_log_entry).toMatchObject({ id: trigger!.id });
        expect(await get(`/log_entries/${trigger!.id}`)).toEqual({ log_entry: trigger });
        expect(await get('/incidents/1/log_entries?limit=1&offset=2')).toMatchObject({ more: false });
        expect(await status('/log_entries/QNOPE')).toBe(404);
        expect(await status('/incidents/QNOPE/log_entries')).toBe(404);
      });

      it('lists log entries of all incidents between since and until', async () => {
        await send(triggerBody(key, 'k1'));
        t.clock.advance(DAY);
        await send(triggerBody(key, 'k2'));
        t.clock.advance(DAY);
        await send(event('acknowledge', 'k1'));
        const summaries = async (query = '') =>
          ((await get(`/log_entries${query}`)).log_entries as Json[]).map((e) => [
            e.type,
            (e.incident as Json).summary,
          ]);
        expect(await summaries()).toEqual([
          ['trigger_log_entry', '[#1] Disk full on k1'],
          ['trigger_log_entry', '[#2] Disk full on k2'],
          ['acknowledge_log_entry', '[#1] Disk full on k1'],
        ]);
        expect(await summaries('?since=2026-01-06T00:00:00Z&until=2026-01-06T23:59:59Z')).toEqual([
          ['trigger_log_entry', '[#2] Disk full on k2'],
        ]);
        expect(await get('/log_entries?limit=2&total=true')).toMatchObject({ more: true, total: 3 });
        expect(await status('/log_entries?until=tomorrow')).toBe(400);
      });
    });
  });
}
