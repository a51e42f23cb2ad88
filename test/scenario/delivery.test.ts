import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimQueued } from '../../src/notify/delivery-store.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
import { startFaultProxy, type FaultProxy } from '../fakes/tcp-fault-proxy.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  configureService,
  insertPolicy,
  insertUser,
  notificationsOf,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('delivering notifications', () => {
      let t: TestApp;
      let smtp: SmtpFake;
      let key: string;
      let serviceId: string;

      beforeEach(async () => {
        smtp = await startSmtpFake();
        t = await startTestApp(backend.fresh(), {
          config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, deliveryLeaseSeconds: 30 },
        });
        ({ key, serviceId } = await insertServiceWithIntegration(t.store));
      });
      afterEach(async () => {
        await t.close();
        await smtp.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const page = async (rules: Parameters<typeof insertUser>[2]) => {
        const user = await insertUser(t.store, 'Alice', rules);
        await configureService(
          t.store,
          serviceId,
          await insertPolicy(t.store, [{ delay: 30, targets: [`user:${user}`] }]),
        );
        return user;
      };

      it('sends once, after its lease lapses, a notification whose node died after claiming it', async () => {
        await page([['high', 0, 'email']]);
        // The incident's notification is queued; a node claims it and dies before sending.
        await t.send({
          routing_key: key,
          event_action: 'trigger',
          dedup_key: 'disk',
          payload: { summary: 'Disk full', source: 'db', severity: 'critical' },
        });
        await t.app.engine.runStepsOnly();
        const lease = new Date(t.clock.now().getTime() + 30_000).toISOString();
        const claimed = await t.store.transaction((tx) =>
          claimQueued(tx, t.clock.now().toISOString(), 'dead-node', lease, 10),
        );
        expect(claimed).toHaveLength(1);
        await t.app.engine.runDue();
        expect(smtp.messages).toHaveLength(0); // still held by the dead node's lease
        t.clock.advance(31_000);
        await t.app.engine.runDue();
        expect(smtp.messages).toHaveLength(1);
        const [record] = await notificationsOf(t.store, claimed[0]!.incident_id!);
        expect(record).toMatchObject({ status: 'delivered', attempts: 2 });
      });

      it('keeps retrying while the mail server is down and delivers once when it is back', async () => {
        await page([['high', 0, 'email']]);
        smtp.fail({ at: 'rcpt', code: 421, message: 'service not available' });
        const id = await triggerAndRun(t, key);
        await advance(t, 3);
        expect(smtp.messages).toHaveLength(0);
        smtp.fail(null);
        await advance(t, 5);
        expect(smtp.messages).toHaveLength(1);
        const [record] = await notificationsOf(t.store, id);
        expect(record!.status).toBe('delivered');
        expect(record!.attempts).toBeGreaterThan(2);
        const failures = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', '%failed (attempt%')
          .execute();
        expect(failures.length).toBe(record!.attempts - 1);
      });

      it('holds a storm of SMS to one phone and sends what waited as one bundled message', async () => {
        const alice = await page([['high', 0, 'sms']]);
        for (let i = 1; i <= 8; i++) await triggerAndRun(t, key, `storm-${i}`);
        const sms = async () =>
          (
            await t.store.db
              .selectFrom('notifications')
              .select(['status', 'delivered_at'])
              .where('user_id', '=', alice)
              .execute()
          ).map((n) => n.status);
        // Five messages in a quarter hour; the other three wait.
        expect((await sms()).filter((s) => s === 'delivered')).toHaveLength(5);
        expect((await sms()).filter((s) => s === 'queued')).toHaveLength(3);
        await advance(t, 15);
        expect((await sms()).filter((s) => s === 'delivered')).toHaveLength(8);
        const last = await t.store.db
          .selectFrom('notifications')
          .select('delivered_at')
          .where('user_id', '=', alice)
          .orderBy('delivered_at', 'desc')
          .limit(3)
          .execute();
        expect(new Set(last.map((r) => r.delivered_at)).size).toBe(1); // one bundle, one send
        const held = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('summary', 'like', 'Holding the sms%')
          .execute();
        expect(held).toHaveLength(3);
      });

      it('collapses a stale notification into the newer one on the same contact method', async () => {
        await page([
          ['high', 0, 'email'],
          ['high', 5, 'email'],
        ]);
        await t.send({
          routing_key: key,
          event_action: 'trigger',
          dedup_key: 'disk',
          payload: { summary: 'Disk full', source: 'db', severity: 'critical' },
        });
        // The incident is assigned and its first email queued; then delivery stops for 20 minutes.
        await t.app.engine.runStepsOnly();
        t.clock.advance(20 * 60_000);
        await t.app.engine.runDue();
        const [id] = (await t.store.db.selectFrom('incidents').select('id').execute()).map((r) => r.id);
        const statuses = (await notificationsOf(t.store, id!)).map(
          (n) => `${n.status}:${n.last_error ?? ''}`,
        );
        // One current message, not a replay of the stale one.
        expect(statuses).toEqual(['cancelled:collapsed into a newer notification', 'delivered:']);
        expect(smtp.messages).toHaveLength(1);
      });
    });

    describe('when the mail server fails, hangs or is down', () => {
      let t: TestApp;
      let smtp: SmtpFake;
      let proxy: FaultProxy;
      let key: string;

      beforeEach(async () => {
        smtp = await startSmtpFake();
        proxy = await startFaultProxy(smtp.port);
        t = await startTestApp(backend.fresh(), {
          // Every wait on the server is bounded; a short bound keeps the test quick.
          config: { smtpUrl: `smtp://127.0.0.1:${proxy.port}`, providerTimeoutMs: 300 },
        });
        let serviceId: string;
        ({ key, serviceId } = await insertServiceWithIntegration(t.store));
        const alice = await insertUser(t.store, 'Alice', [['high', 0, 'email']]);
        await configureService(
          t.store,
          serviceId,
          await insertPolicy(t.store, [{ delay: 30, targets: [`user:${alice}`] }]),
        );
      });
      afterEach(async () => {
        await t.close();
        await proxy.stop();
        await smtp.stop();
      });

      const failures = async (id: string) =>
        (
          await t.store.db
            .selectFrom('log_entries')
            .select('summary')
            .where('incident_id', '=', id)
            .where('summary', 'like', '%by email failed (attempt%')
            .orderBy('created_at')
            .execute()
        ).map((e) => e.summary);

      it('treats a server that accepts the connection and never answers as a timeout, and delivers once later', async () => {
        await proxy.set('hang');
        // Without a bound on the wait this run would never return (the server never answers).
        const id = await triggerAndRun(t, key);
        expect((await notificationsOf(t.store, id))[0]).toMatchObject({ status: 'queued', attempts: 1 });
        expect(await failures(id)).toEqual([
          expect.stringMatching(
            /failed \(attempt 1 of 5\): SMTP: .*(Greeting never received|[Tt]imeout|ETIMEDOUT).*Retrying at/,
          ),
        ]);
        await proxy.set('pass');
        await advance(t, 1);
        expect(smtp.messages).toHaveLength(1);
        expect((await notificationsOf(t.store, id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(await failures(id)).toHaveLength(1);
      });

      it('keeps retrying while the server refuses connections for a minute and delivers once when it is back', async () => {
        await proxy.set('refuse');
        const id = await triggerAndRun(t, key);
        await advance(t, 1);
        expect(smtp.messages).toHaveLength(0);
        const during = await failures(id);
        expect(during).toHaveLength(2);
        expect(during[0]).toMatch(/failed \(attempt 1 of 5\): SMTP: .*ECONNREFUSED.*Retrying at/);
        await proxy.set('pass');
        await advance(t, 3);
        expect(smtp.messages).toHaveLength(1);
        const [record] = await notificationsOf(t.store, id);
        expect(record).toMatchObject({ status: 'delivered', attempts: 3 });
        expect(await failures(id)).toHaveLength(2);
        await advance(t, 10);
        expect(smtp.messages).toHaveLength(1);
      });
    });
  });
}
