import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/token-store.js';
import { shortId } from '../../src/lib/ids.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { insertBareUser } from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Json = Record<string, unknown>;
type Incident = Json & { id: string; status: string };

const ADMIN_EMAIL = 'admin@tocsin.local';
const from = { from: ADMIN_EMAIL };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('incidents API (acknowledge and resolve)', () => {
      let t: TestApp;
      let key: string;
      let adminId: string;

      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        ({ key } = await insertServiceWithIntegration(t.store, { name: 'Checkout' }));
        const admin = await t.store.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', ADMIN_EMAIL)
          .executeTakeFirstOrThrow();
        adminId = admin.id;
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const trigger = async (dedupKey: string, to = key) => {
        const res = await t.send(triggerBody(to, dedupKey));
        expect(res.statusCode, res.body).toBe(202);
        const list = await t.api('GET', `/api/v2/incidents?incident_key=${dedupKey}&statuses[]=triggered`);
        return list.json<{ incidents: Incident[] }>().incidents[0]!;
      };
      const put = (id: string, incident: Json, headers: Record<string, string> = from) =>
        t.api(
          'PUT',
          `/api/v2/incidents/${id}`,
          { incident: { type: 'incident_reference', ...incident } },
          headers,
        );
      const putOk = async (id: string, incident: Json) => {
        const res = await put(id, incident);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ incident: Incident }>().incident;
      };
      const logEntries = async (id: string) =>
        (await t.api('GET', `/api/v2/incidents/${id}/log_entries`)).json<{ log_entries: Json[] }>()
          .log_entries;
      const error = (res: { statusCode: number; json<T>(): T }) => [
        res.statusCode,
        res.json<{ error: { code: number } }>().error.code,
      ];
      const insertToken = async (token: string, access: string, userId: string | null) => {
        await t.store.db
          .insertInto('api_tokens')
          .values({
            id: shortId(),
            token_hash: hashToken(token),
            description: `${access} token`,
            user_id: userId,
            access,
            created_at: '2026-01-01T00:00:00.000Z',
            last_used_at: null,
            revoked_at: null,
          })
          .execute();
        return { authorization: `Token token=${token}` };
      };
      it('acknowledges an incident as the From user, through the api channel', async () => {
        const incident = await trigger('k1');
        t.clock.advance(60_000);
        const acked = await putOk(incident.id, { status: 'acknowledged' });
        const admin = {
          id: adminId,
          type: 'user_reference',
          summary: 'Administrator',
          self: `${t.baseUrl}/api/v2/users/${adminId}`,
          html_url: `${t.baseUrl}/users/${adminId}`,
        };
        expect(acked).toMatchObject({
          id: incident.id,
          status: 'acknowledged',
          acknowledgements: [{ at: '2026-01-05T09:01:00.000Z', acknowledger: admin }],
          last_status_change_at: '2026-01-05T09:01:00.000Z',
          last_status_change_by: admin,
          updated_at: '2026-01-05T09:01:00.000Z',
        });
        const [, ack] = await logEntries(incident.id);
        expect(ack).toMatchObject({
          type: 'acknowledge_log_entry',
          summary: 'Acknowledged by Administrator.',
          agent: admin,
          channel: { type: 'api' },
          created_at: '2026-01-05T09:01:00.000Z',
        });
      });

      it('answers 200 and changes nothing when the incident is already acknowledged', async () => {
        const incident = await trigger('k1');
        await putOk(incident.id, { status: 'acknowledged' });
        t.clock.advance(60_000);
        const again = await putOk(incident.id, { status: 'acknowledged' });
        expect(again.acknowledgements).toHaveLength(1);
        expect((await logEntries(incident.id)).map((e) => e.type)).toEqual([
          'trigger_log_entry',
          'acknowledge_log_entry',
        ]);
      });

      it('resolves every alert of the incident, and a later trigger with the same key opens a new incident', async () => {
        const grouped = await insertServiceWithIntegration(t.store, {
          grouping: { type: 'time', config: { timeout: 0 } },
        });
        const incident = await trigger('a1', grouped.key);
        expect((await t.send(triggerBody(grouped.key, 'a2'))).statusCode).toBe(202);
        t.clock.advance(60_000);
        const resolved = await putOk(incident.id, { status: 'resolved', resolution: 'Freed space' });
        expect(resolved).toMatchObject({
          status: 'resolved',
          resolved_at: '2026-01-05T09:01:00.000Z',
          acknowledgements: [],
          alert_counts: { all: 2, triggered: 0, resolved: 2 },
        });
        const alerts = await t.api('GET', `/api/v2/incidents/${incident.id}/alerts`);
        expect(alerts.json<{ alerts: Json[] }>().alerts.map((a) => a.status)).toEqual([
          'resolved',
          'resolved',
        ]);
        const entries = await logEntries(incident.id);
        expect(entries.at(-1)).toMatchObject({
          type: 'resolve_log_entry',
          note: 'Freed space',
          agent: { id: adminId, type: 'user_reference' },
          channel: { type: 'api' },
        });
        const reopened = await trigger('a1', grouped.key);
        expect(reopened.id).not.toBe(incident.id);
        expect(reopened.incident_number).toBe(2);
      });

      it('updates an incident given by number, and changes its title and urgency', async () => {
        await trigger('k1');
        const updated = await putOk('1', { title: 'Disk full on db-1', urgency: 'low' });
        expect(updated).toMatchObject({
          incident_number: 1,
          status: 'triggered',
          title: 'Disk full on db-1',
          summary: '[#1] Disk full on db-1',
          urgency: 'low',
        });
        expect((await logEntries(updated.id)).at(-1)).toMatchObject({
          type: 'urgency_change_log_entry',
          summary: 'Urgency changed from high to low by Administrator.',
          agent: { id: adminId },
        });
      });

      it('requires a From header naming a user for an account token', async () => {
        const incident = await trigger('k1');
        const missing = await put(incident.id, { status: 'acknowledged' }, {});
        expect(missing.statusCode).toBe(400);
        expect(missing.json()).toEqual({
          error: {
            message: 'You must specify a user\'s email address in the "From" header to perform this action',
            code: 2001,
            errors: [],
          },
        });
        const unknown = await put(incident.id, { status: 'acknowledged' }, { from: 'nobody@example.test' });
        expect(error(unknown)).toEqual([400, 1008]); // Requester User Not Found (see test/api/from-header.test.ts)
        const caseless = await put(incident.id, { status: 'acknowledged' }, { from: 'Admin@Tocsin.Local' });
        expect(caseless.statusCode).toBe(200);
      });

      it('acts as the token user with a user token, without a From header', async () => {
        const userId = await insertBareUser(t.store, 'Rita Responder', 'responder');
        const headers = await insertToken('user-token-0123456789', 'user', userId);
        const incident = await trigger('k1');
        const res = await put(incident.id, { status: 'acknowledged' }, headers);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ incident: Json }>().incident).toMatchObject({
          last_status_change_by: { id: userId, type: 'user_reference', summary: 'Rita Responder' },
        });
      });

      it('answers 403 to a read-only token and to an observer, and lets them read', async () => {
        const incident = await trigger('k1');
        const readOnly = await insertToken('read-only-token-0123', 'read_only', null);
        expect(error(await put(incident.id, { status: 'acknowledged' }, { ...readOnly, ...from }))).toEqual([
          403, 2010,
        ]);
        const observer = await insertToken(
          'observer-token-01234',
          'user',
          await insertBareUser(t.store, 'Olga', 'observer'),
        );
        expect(error(await put(incident.id, { status: 'resolved' }, observer))).toEqual([403, 2010]);
        const read = await t.api('GET', `/api/v2/incidents/${incident.id}`, undefined, readOnly);
        expect(read.json<{ incident: Incident }>().incident.status).toBe('triggered');
      });

      it('answers 400 1001 for resolving a resolved incident, 2001 for a bad body, and reopens with triggered', async () => {
        const incident = await trigger('k1');
        await putOk(incident.id, { status: 'acknowledged' });
        // Un-acknowledging is allowed; so is reopening a resolved incident (below).
        expect((await putOk(incident.id, { status: 'triggered' })).status).toBe('triggered');
        expect(error(await put(incident.id, { status: 'snoozed' }))).toEqual([400, 2001]);
        const untyped = await t.api(
          'PUT',
          `/api/v2/incidents/${incident.id}`,
          { incident: { status: 'resolved' } },
          from,
        );
        expect(error(untyped)).toEqual([400, 2001]);
        await putOk(incident.id, { status: 'resolved' });
        const again = await put(incident.id, { status: 'resolved' });
        expect(again.json()).toEqual({
          error: {
            message: 'Incident Already Resolved',
            code: 1001,
            errors: [`Incident ${incident.id} is already resolved`],
          },
        });
        expect(error(await put(incident.id, { urgency: 'low' }))).toEqual([400, 1001]);
        const reopened = await putOk(incident.id, { status: 'triggered' });
        expect(reopened).toMatchObject({ status: 'triggered', resolved_at: null });
        expect(error(await put('QNOPE', { status: 'acknowledged' }))).toEqual([404, 2100]);
      });

      it('acknowledges and resolves several incidents in one bulk request', async () => {
        const one = await trigger('k1');
        const two = await trigger('k2');
        const res = await t.api(
          'PUT',
          '/api/v2/incidents',
          {
            incidents: [
              { id: one.id, type: 'incident_reference', status: 'acknowledged' },
              { id: two.id, type: 'incident_reference', status: 'resolved' },
            ],
          },
          from,
        );
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ incidents: Incident[] }>();
        expect(body.incidents.map((i) => [i.id, i.status])).toEqual([
          [one.id, 'acknowledged'],
          [two.id, 'resolved'],
        ]);
        expect(body).toMatchObject({ offset: 0, more: false, total: null });
      });

      it('changes nothing in a bulk request when one incident breaks a rule', async () => {
        const one = await trigger('k1');
        const two = await trigger('k2');
        await putOk(two.id, { status: 'resolved' });
        const res = await t.api(
          'PUT',
          '/api/v2/incidents',
          {
            incidents: [
              { id: one.id, type: 'incident_reference', status: 'acknowledged' },
              { id: two.id, type: 'incident_reference', status: 'resolved' },
            ],
          },
          from,
        );
        expect(error(res)).toEqual([400, 1001]);
        const still = await t.api('GET', `/api/v2/incidents/${one.id}`);
        expect(still.json<{ incident: Incident }>().incident.status).toBe('triggered');
      });

      it('answers 413 to a bulk request over 250 incidents', async () => {
        const incident = await trigger('k1');
        const items = Array.from({ length: 251 }, () => ({
          id: incident.id,
          type: 'incident_reference',
          status: 'acknowledged',
        }));
        const res = await t.api('PUT', '/api/v2/incidents', { incidents: items }, from);
        expect(error(res)).toEqual([413, 2001]);
        const ok = await t.api('PUT', '/api/v2/incidents', { incidents: items.slice(0, 250) }, from);
        expect(ok.statusCode).toBe(200);
      });
    });
  });
}
