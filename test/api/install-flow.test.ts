import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, asBrowser, setPassword, signIn, type Browser } from '../harness/accounts.js';
import { backends } from '../harness/backends.js';
import { triggerBody } from '../harness/factories.js';
import { registerApp, type CreatedApp } from '../harness/oauth.js';
import { insertPolicy, insertTeam } from '../harness/on-call-fixtures.js';
import { createUser } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const PASSWORD = 'correct horse battery';
const CALLBACK = 'https://monitor.example/pagerduty/callback';

interface Choice {
  id: string;
  name: string;
  selectable: boolean;
  reason: string | null;
  existing_integration_id: string | null;
}
interface Result {
  service: { id: string; name: string | null };
  status: 'created' | 'existing' | 'failed';
  reason: string | null;
  integration: { id: string; name: string; integration_key: string } | null;
}
interface AuditRecord {
  action: string;
  actors: { summary: string }[];
  root_resource: { id: string; type: string };
  details: { resource: { id: string } | null };
}
interface Config {
  integration_keys: { integration_key: string; name: string; id: string; type: string }[];
  account: { subdomain: string; name: string };
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('install flow', () => {
      let t: TestApp;
      let browser: Browser;
      let app: CreatedApp;
      const ids: Record<string, string> = {};
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        const user = await createUser(t, { name: 'Mia Manager', email: 'mia@example.com', role: 'manager' });
        await setPassword(t, user.id, PASSWORD);
        browser = await signIn(t, 'mia@example.com', PASSWORD);
        app = await registerApp(t, { name: 'Monitor', redirect_uris: [CALLBACK] });
        const teamB = await insertTeam(t.store, 'Team B');
        const policyB = await insertPolicy(t.store, [{ delay: 30, targets: [`user:${user.id}`] }]);
        await t.store.db
          .updateTable('escalation_policies')
          .set({ team_id: teamB })
          .where('id', '=', policyB)
          .execute();
        const service = async (name: string, extra: Record<string, unknown> = {}) => {
          const res = await t.api('POST', '/api/v2/services', { service: { name, ...extra } });
          expect(res.statusCode, res.body).toBe(201);
          ids[name] = res.json<{ service: { id: string } }>().service.id;
        };
        await service('Web');
        await service('Payments');
        await service('Batch', { alert_creation: 'create_incidents' });
        await service('Old');
        await t.api('PUT', `/api/v2/services/${ids.Old}`, { service: { status: 'disabled' } });
        await service('Team B service');
        await t.store.db
          .updateTable('services')
          .set({ escalation_policy_id: policyB })
          .where('id', '=', ids['Team B service']!)
          .execute();
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const installIt = async (serviceIds: string[], redirectUrl = `${CALLBACK}?state=abc`) => {
        const res = await asBrowser(t, browser, 'POST', '/api/v2/install/integration', {
          app_id: app.id,
          redirect_url: redirectUrl,
          service_ids: serviceIds,
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ results: Result[]; redirect_to: string }>();
        const url = new URL(body.redirect_to);
        const config = JSON.parse(url.searchParams.get('config')!) as Config;
        return { results: body.results, url, config };
      };

      it('lists the services the user may connect and says why the others cannot be picked', async () => {
        const res = await asBrowser(t, browser, 'GET', `/api/v2/install/integration?app_id=${app.id}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ app: { name: string }; services: Choice[] }>();
        expect(body.app.name).toBe('Monitor');
        const byName = Object.fromEntries(body.services.map((s) => [s.name, s]));
        expect(Object.keys(byName)).toEqual(['Batch', 'Old', 'Payments', 'Team B service', 'Web']);
        expect(byName.Web).toMatchObject({ selectable: true, reason: null, existing_integration_id: null });
        expect(byName.Payments!.selectable).toBe(true);
        expect(byName.Batch).toMatchObject({
          selectable: false,
          reason: 'The service does not create alerts and incidents',
        });
        expect(byName.Old).toMatchObject({ selectable: false, reason: 'The service is disabled' });
        expect(byName['Team B service']).toMatchObject({
          selectable: false,
          reason: 'Your role does not allow adding integrations to this service',
        });
      });

      it('creates one Events API v2 integration per picked service and sends their keys back', async () => {
        const { results, url, config } = await installIt([ids.Web!, ids.Payments!]);
        expect(results.map((r) => [r.service.name, r.status])).toEqual([
          ['Web', 'created'],
          ['Payments', 'created'],
        ]);
        expect(url.origin + url.pathname).toBe(CALLBACK);
        expect(url.searchParams.get('state')).toBe('abc');
        expect(config.account).toEqual({ subdomain: 'tocsin', name: 'tocsin' });
        expect(config.integration_keys).toEqual(
          results.map((r) => ({
            integration_key: r.integration!.integration_key,
            name: r.service.name,
            id: r.integration!.id,
            type: 'service',
          })),
        );
        const web = await t.api(
          'GET',
          `/api/v2/services/${ids.Web}/integrations/${results[0]!.integration!.id}`,
        );
        expect(web.json<{ integration: object }>().integration).toMatchObject({
          type: 'events_api_v2_inbound_integration',
          name: 'Monitor',
          integration_key: config.integration_keys[0]!.integration_key,
        });
        const sent = await t.send(triggerBody(config.integration_keys[0]!.integration_key, 'cpu'));
        expect(sent.statusCode).toBe(202);
        const incidents = await t.store.db.selectFrom('incidents').selectAll().execute();
        expect(incidents.map((i) => i.service_id)).toEqual([ids.Web]);
      });

      it('reuses the app’s integration on a service instead of adding a second one', async () => {
        const first = await installIt([ids.Web!]);
        const second = await installIt([ids.Web!, ids.Payments!], CALLBACK);
        expect(second.results.map((r) => r.status)).toEqual(['existing', 'created']);
        expect(second.config.integration_keys[0]).toEqual(first.config.integration_keys[0]);
        expect(second.url.searchParams.has('state')).toBe(false);
        const rows = await t.store.db
          .selectFrom('integrations')
          .select('id')
          .where('service_id', '=', ids.Web!)
          .execute();
        expect(rows).toHaveLength(1);
        const choices = await asBrowser(t, browser, 'GET', `/api/v2/install/integration?app_id=${app.id}`);
        const web = choices.json<{ services: Choice[] }>().services.find((s) => s.name === 'Web');
        expect(web!.existing_integration_id).toBe(first.results[0]!.integration!.id);
        const other = await registerApp(t, { name: 'Other', redirect_uris: [CALLBACK] });
        const res = await asBrowser(t, browser, 'POST', '/api/v2/install/integration', {
          app_id: other.id,
          redirect_url: CALLBACK,
          service_ids: [ids.Web],
        });
        expect(res.json<{ results: Result[] }>().results[0]!.status).toBe('created');
      });

      it('keeps one integration per app and service when two installs race', async () => {
        const [a, b] = await Promise.all([installIt([ids.Web!]), installIt([ids.Web!])]);
        expect([a.results[0]!.status, b.results[0]!.status].sort()).toEqual(['created', 'existing']);
        expect(a.config.integration_keys).toEqual(b.config.integration_keys);
        const rows = await t.store.db
          .selectFrom('integrations')
          .select('id')
          .where('service_id', '=', ids.Web!)
          .execute();
        expect(rows).toHaveLength(1);
      });

      it('keeps a disabled service’s app integration: events get 202 and are logged as dropped', async () => {
        const { config } = await installIt([ids.Payments!]);
        await t.api('PUT', `/api/v2/services/${ids.Payments}`, { service: { status: 'disabled' } });
        const sent = await t.send(triggerBody(config.integration_keys[0]!.integration_key, 'down'));
        expect(sent.statusCode).toBe(202);
        expect(await t.store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);
        const log = await t.api('GET', `/api/v2/services/${ids.Payments}/dropped_events`);
        const dropped = log.json<{ dropped_events: { reason: string; integration: { id: string } }[] }>();
        expect(dropped.dropped_events).toMatchObject([
          { reason: 'service_disabled', integration: { id: config.integration_keys[0]!.id } },
        ]);
        const choices = await asBrowser(t, browser, 'GET', `/api/v2/install/integration?app_id=${app.id}`);
        const payments = choices.json<{ services: Choice[] }>().services.find((c) => c.name === 'Payments');
        expect(payments).toMatchObject({ selectable: false, reason: 'The service is disabled' });
      });

      it('lets a responder see the services but connect none', async () => {
        const rosa = await createUser(t, { name: 'Rosa', email: 'rosa@example.com', role: 'responder' });
        await setPassword(t, rosa.id, PASSWORD);
        const responder = await signIn(t, 'rosa@example.com', PASSWORD);
        const res = await asBrowser(t, responder, 'GET', `/api/v2/install/integration?app_id=${app.id}`);
        const services = res.json<{ services: Choice[] }>().services;
        expect(services.filter((s) => s.selectable)).toEqual([]);
        expect(services.find((s) => s.name === 'Web')!.reason).toBe(
          'Your role does not allow adding integrations to this service',
        );
      });

      it('reports each service it cannot connect as failed with the reason', async () => {
        const { results, config } = await installIt([
          ids.Batch!,
          ids.Old!,
          ids['Team B service']!,
          'PNOPE00',
          ids.Web!,
        ]);
        expect(results.map((r) => [r.status, r.reason])).toEqual([
          ['failed', 'The service does not create alerts and incidents'],
          ['failed', 'The service is disabled'],
          ['failed', 'Your role does not allow adding integrations to this service'],
          ['failed', 'The service does not exist'],
          ['created', null],
        ]);
        expect(config.integration_keys.map((k) => k.name)).toEqual(['Web']);
      });

      it('refuses an unknown app, a redirect URL outside the app’s and requests without a browser session', async () => {
        const post = (body: object) => asBrowser(t, browser, 'POST', '/api/v2/install/integration', body);
        expect(
          (await post({ app_id: 'PNOPE00', redirect_url: CALLBACK, service_ids: [ids.Web] })).statusCode,
        ).toBe(404);
        const foreign = await post({
          app_id: app.id,
          redirect_url: 'https://evil.example/cb',
          service_ids: [ids.Web],
        });
        expect(foreign.statusCode).toBe(400);
        expect((await post({ app_id: app.id, redirect_url: CALLBACK, service_ids: [] })).statusCode).toBe(
          400,
        );
        const byToken = await t.api('POST', '/api/v2/install/integration', {
          app_id: app.id,
          redirect_url: CALLBACK,
          service_ids: [ids.Web],
        });
        expect(byToken.statusCode).toBe(403);
        const page = `/install/integration?app_id=${app.id}&redirect_url=${encodeURIComponent(CALLBACK)}&version=2`;
        const signedOut = await anonymous(t, 'GET', page);
        expect(signedOut.statusCode).toBe(302);
        expect(signedOut.headers.location).toBe(`/login?next=${encodeURIComponent(page)}`);
        const bad = await anonymous(t, 'GET', page.replace('monitor.example', 'evil.example'));
        expect(bad.statusCode).toBe(400);
        expect(bad.headers['content-type']).toMatch(/text\/html/);
        expect(bad.body).toContain('redirect_url is not one of the app’s redirect URIs');
        expect((await anonymous(t, 'GET', page.replace('version=2', 'version=1'))).statusCode).toBe(400);
      });

      it('lists an app’s integrations and removes them together, after which their keys are refused', async () => {
        const { config } = await installIt([ids.Web!, ids.Payments!]);
        const list = await t.api('GET', `/api/v2/oauth_apps/${app.id}/integrations`);
        expect(list.statusCode).toBe(200);
        const listed = list.json<{
          integrations: { id: string; integration_key: string; service: { id: string } }[];
        }>();
        expect(listed.integrations.map((i) => i.service.id).sort()).toEqual([ids.Web, ids.Payments].sort());
        expect(
          (await asBrowser(t, browser, 'GET', `/api/v2/oauth_apps/${app.id}/integrations`)).statusCode,
        ).toBe(403);
        expect((await t.api('DELETE', `/api/v2/oauth_apps/${app.id}/integrations`)).statusCode).toBe(204);
        expect((await t.api('GET', `/api/v2/oauth_apps/${app.id}/integrations`)).json()).toEqual({
          integrations: [],
        });
        for (const key of config.integration_keys) {
          const refused = await t.send(triggerBody(key.integration_key, 'x'));
          expect(refused.statusCode).toBe(400);
        }
        t.clock.advance(1_000);
        const audit = await t.api('GET', '/api/v2/audit/records?limit=100');
        const records = audit.json<{ records: AuditRecord[] }>().records;
        const webIntegration = listed.integrations.find((i) => i.service.id === ids.Web)!;
        const mine = records.filter((r) => r.details.resource?.id === webIntegration.id);
        expect(mine.map((r) => r.action).sort()).toEqual(['create', 'delete']);
        expect(mine.find((r) => r.action === 'create')).toMatchObject({
          actors: [{ summary: 'Mia Manager' }],
          root_resource: { id: ids.Web, type: 'service_reference' },
        });
        const again = await installIt([ids.Web!]);
        expect(again.results[0]!.status).toBe('created');
      });
    });
  });
}
