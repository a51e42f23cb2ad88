import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimQueued } from '../../src/notify/delivery-store.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
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
  });
}
