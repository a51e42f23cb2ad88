import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asBrowser, setPassword, signIn } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { createUser, userToken, type CreatedUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

type Incident = { id: string; status: string; last_status_change_by: { id: string } | null };
type ErrorBody = { error: { message: string; code: number; errors: string[] } };

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('the From header of incident writes', () => {
      let t: TestApp;
      let rosa: CreatedUser;
      let incident: Incident;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        rosa = await createUser(t, { name: 'Rosa', email: 'rosa@example.com', role: 'responder' });
        const { key } = await insertServiceWithIntegration(t.store, { name: 'Checkout' });
        expect((await t.send(triggerBody(key, 'disk'))).statusCode).toBe(202);
        incident = (await t.api('GET', '/api/v2/incidents')).json<{ incidents: Incident[] }>().incidents[0]!;
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const ack = (headers: Record<string, string>) =>
        t.api(
          'PUT',
          `/api/v2/incidents/${incident.id}`,
          { incident: { type: 'incident_reference', status: 'acknowledged' } },
          headers,
        );

      it('defaults to the token’s user with a user token, ignoring any From', async () => {
        const res = await ack({ ...(await userToken(t, rosa.id)), from: 'admin@tocsin.local' });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ incident: Incident }>().incident.last_status_change_by?.id).toBe(rosa.id);
      });

      it('defaults to the signed-in user with a session', async () => {
        await setPassword(t, rosa.id, 'rosa password');
        const browser = await signIn(t, 'rosa@example.com', 'rosa password');
        const res = await asBrowser(t, browser, 'PUT', `/api/v2/incidents/${incident.id}`, {
          incident: { type: 'incident_reference', status: 'acknowledged' },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ incident: Incident }>().incident.last_status_change_by?.id).toBe(rosa.id);
      });

      it('answers 400 2001 with PagerDuty’s message when an account token sends none', async () => {
        for (const from of [undefined, '  ']) {
          const res = await ack(from === undefined ? {} : { from });
          expect(res.statusCode).toBe(400);
          expect(res.json<ErrorBody>().error).toEqual({
            message: 'You must specify a user\'s email address in the "From" header to perform this action',
            code: 2001,
            errors: [],
          });
        }
      });

      it('answers 400 1028 to a From that is not one email address', async () => {
        for (const from of [
          'Rosa',
          'Rosa <rosa@example.com>',
          'rosa@example.com, admin@tocsin.local',
          'rosa@',
        ]) {
          const res = await ack({ from });
          expect(res.statusCode, from).toBe(400);
          expect(res.json<ErrorBody>().error).toMatchObject({
            message: 'Malformed "From" header',
            code: 1028,
          });
        }
      });

      it('answers 400 1008 Requester User Not Found to an email nobody has', async () => {
        const res = await ack({ from: 'ghost@example.com' });
        expect(res.statusCode).toBe(400);
        expect(res.json<ErrorBody>().error).toEqual({
          message: 'Requester User Not Found',
          code: 1008,
          errors: ['No user has the email ghost@example.com'],
        });
        const unchanged = await t.api('GET', `/api/v2/incidents/${incident.id}`);
        expect(unchanged.json<{ incident: Incident }>().incident.status).toBe('triggered');
      });

      it('acts as the named user with an account token, ignoring case and spaces', async () => {
        const res = await ack({ from: '  ROSA@example.com ' });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<{ incident: Incident }>().incident.last_status_change_by?.id).toBe(rosa.id);
      });
    });
  });
}
