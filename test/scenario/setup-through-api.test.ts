import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { advance, logTypesOf, notificationsOf } from '../harness/on-call-fixtures.js';
import { addContactMethod, createUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('an on-call setup made entirely through the REST API', () => {
      let t: TestApp;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const post = async <T = Json>(path: string, body: Json): Promise<T> => {
        const res = await t.api('POST', `/api/v2/${path}`, body);
        expect(res.statusCode, res.body).toBe(201);
        return Object.values(res.json<Record<string, T>>())[0]!;
      };

      it('pages the direct user and the on-call user of a schedule, then escalates across a DST change', async () => {
        const ann = await createUser(t, { name: 'Ann', time_zone: 'America/New_York' });
        const ben = await createUser(t, { name: 'Ben', time_zone: 'America/New_York' });
        const cat = await createUser(t, { name: 'Cat' });
        // New users get an email contact method and an email rule at once; Ben also adds SMS (rule at 1 min).
        await addContactMethod(t, ben.id, 'sms_contact_method', '2125550100', { country_code: 1 });
        // Daily hand-offs at 09:00 New York time; Ann has Saturday 7 March 2026, Ben Sunday 8 March,
        // the day clocks spring forward, so his turn lasts 23 hours.
        const schedule = await post<{ id: string }>('schedules', {
          schedule: {
            type: 'schedule',
            name: 'Primary',
            time_zone: 'America/New_York',
            schedule_layers: [
              {
                start: '2026-03-01T09:00:00-05:00',
                rotation_virtual_start: '2026-03-07T09:00:00-05:00',
                rotation_turn_length_seconds: 86_400,
                users: [
                  { user: { id: ann.id, type: 'user_reference' } },
                  { user: { id: ben.id, type: 'user_reference' } },
                ],
              },
            ],
          },
        });
        const policy = await post<{ id: string }>('escalation_policies', {
          escalation_policy: {
            type: 'escalation_policy',
            name: 'Payments',
            escalation_rules: [
              {
                escalation_delay_in_minutes: 30,
                targets: [
                  { id: schedule.id, type: 'schedule_reference' },
                  { id: cat.id, type: 'user_reference' },
                ],
              },
              { escalation_delay_in_minutes: 30, targets: [{ id: schedule.id, type: 'schedule_reference' }] },
            ],
          },
        });
        const service = await post<{ id: string }>('services', {
          service: {
            type: 'service',
            name: 'Payments API',
            escalation_policy: { id: policy.id, type: 'escalation_policy_reference' },
            acknowledgement_timeout: null,
            auto_resolve_timeout: null,
          },
        });
        const integration = await post<{ integration_key: string }>(`services/${service.id}/integrations`, {
          integration: { type: 'events_api_v2_inbound_integration', name: 'Prometheus' },
        });
        // Sunday 8 March 08:50 New York (EDT since 02:00): Ann is still on until 09:00 EDT = 13:00 UTC.
        t.clock.set('2026-03-08T12:50:00Z');
        const sent = await t.send({
          routing_key: integration.integration_key,
          event_action: 'trigger',
          dedup_key: 'p99',
          payload: { summary: 'Payments p99 above 2 s', source: 'prom', severity: 'critical' },
        });
        expect(sent.statusCode).toBe(202);
        await t.app.engine.runDue();
        const { incidents } = (await t.api('GET', '/api/v2/incidents')).json<{
          incidents: (Json & { id: string })[];
        }>();
        const id = incidents[0]!.id;
        const assignees = async () =>
          (await t.api('GET', `/api/v2/incidents/${id}`))
            .json<{ incident: { assignments: { assignee: { summary: string } }[] } }>()
            .incident.assignments.map((a) => a.assignee.summary)
            .sort();
        expect(await assignees()).toEqual(['Ann', 'Cat']);
        // 30 minutes later Ben has taken over (09:00 local, an hour earlier in UTC than a day before).
        await advance(t, 30);
        expect(await assignees()).toEqual(['Ben']);
        await advance(t, 1);
        const delivered = (await notificationsOf(t.store, id))
          .filter((n) => n.status === 'delivered')
          .map(
            (n) => `${n.user_id === ann.id ? 'Ann' : n.user_id === ben.id ? 'Ben' : 'Cat'}:${n.contact_type}`,
          );
        expect(delivered.sort()).toEqual(['Ann:email', 'Ben:email', 'Ben:sms', 'Cat:email']);
        expect(await logTypesOf(t.store, id)).toContain('escalate_log_entry');
        const oncalls = (await t.api('GET', `/api/v2/oncalls?escalation_policy_ids[]=${policy.id}`)).json<{
          oncalls: { user: { summary: string }; escalation_level: number }[];
        }>().oncalls;
        expect(oncalls.map((o) => `${o.escalation_level}:${o.user.summary}`).sort()).toEqual([
          '1:Ben',
          '1:Cat',
          '2:Ben',
        ]);
      });
    });
  });
}
