import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.js';
import { backends } from '../harness/backends.js';
import {
  advance,
  incidentStatus,
  insertUser,
  notificationsOf,
  serviceForUser,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { addContactMethod, addNotificationRule } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const ANA = 'U0ANA00001';
const BOB = 'U0BOB00002';

interface Block {
  type: string;
  fields?: { text: string }[];
  elements?: { action_id?: string; value?: string }[];
}

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('Slack notifications and buttons', () => {
      let t: TestApp;
      let slack: SlackFake;
      let alice: string;
      let key: string;
      let interactions: string;

      const start = async (botToken?: string) => {
        slack = await startSlackFake({
          users: [
            { id: ANA, name: 'ana' },
            { id: BOB, name: 'bob' },
          ],
        });
        t = await startTestApp(backend.fresh(), {
          config: {
            slackApiUrl: `${slack.baseUrl}/api`,
            slackBotToken: botToken ?? slack.botToken,
            slackSigningSecret: slack.signingSecret,
          },
        });
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        interactions = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/slack/interactions`;
        // Slack first; email at 5 minutes.
        alice = await insertUser(t.store, 'Alice', [['high', 5, 'email']]);
        const method = await addContactMethod(t, alice, 'slack_contact_method', ANA);
        await addNotificationRule(t, alice, method.id, 'high', 0);
        ({ key } = await serviceForUser(t.store, alice, 'Checkout'));
      };
      afterEach(async () => {
        await t.close();
        await slack.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const status = (id: string) => incidentStatus(t.store, id);
      const buttons = (blocks: unknown) =>
        (blocks as Block[])
          .filter((b) => b.type === 'actions')
          .flatMap((b) => b.elements ?? [])
          .map((e) => e.action_id);
      const statusField = (blocks: unknown) =>
        (blocks as Block[]).flatMap((b) => b.fields ?? []).find((f) => f.text.startsWith('*Status*'))?.text;

      it('DMs the assignee the incident with buttons; a signed click acts as them through slack and updates the message', async () => {
        await start();
        const id = await triggerAndRun(t, key);
        const post = await slack.posts.waitFor(() => true);
        expect(post.channel).toBe('D0ANA00001');
        expect(post.message.text).toBe('#1 Disk full on disk (Checkout, high urgency): triggered');
        expect(JSON.stringify(post.message.blocks)).toContain(`http://tocsin.test/incidents/${id}`);
        expect(buttons(post.message.blocks)).toEqual(['tocsin_acknowledge', 'tocsin_resolve']);
        const record = (await notificationsOf(t.store, id)).find((n) => n.contact_type === 'slack');
        expect(record).toMatchObject({
          status: 'delivered',
          channel: 'slack',
          provider_ref: `D0ANA00001:${post.ts}`,
        });

        // The message updates are queued with the change and sent by the dispatcher.
        const click = async (actionId: string) => {
          const res = await slack.click(
            { userId: ANA, channel: post.channel, ts: post.ts, actionId, value: id },
            interactions,
          );
          await t.app.engine.runDue();
          return res;
        };
        const acked = await click('tocsin_acknowledge');
        expect(acked.status).toBe(200);
        expect(acked.body).toContain('is acknowledged');
        expect(await status(id)).toBe('acknowledged');
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select(['channel', 'agent'])
          .where('incident_id', '=', id)
          .where('type', '=', 'acknowledge_log_entry')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(entry.channel)).toEqual({ type: 'slack' });
        expect(JSON.parse(entry.agent!)).toMatchObject({ id: alice, type: 'user_reference' });
        let shown = slack.message(post.channel, post.ts)!;
        expect(statusField(shown.blocks)).toBe('*Status*\nacknowledged');
        expect(JSON.stringify(shown.blocks)).toContain('Acknowledged by Alice in Slack.');
        expect(buttons(shown.blocks)).toEqual(['tocsin_resolve']);

        // A second acknowledge answers with the current state; resolve removes the buttons.
        expect((await click('tocsin_acknowledge')).body).toContain('already acknowledged');
        expect((await click('tocsin_resolve')).body).toContain('is resolved');
        expect(await status(id)).toBe('resolved');
        shown = slack.message(post.channel, post.ts)!;
        expect(statusField(shown.blocks)).toBe('*Status*\nresolved');
        expect(buttons(shown.blocks)).toEqual([]);
      });

      it('refuses a bad or stale signature and changes nothing', async () => {
        await start();
        const id = await triggerAndRun(t, key);
        const post = await slack.posts.waitFor(() => true);
        const base = {
          userId: ANA,
          channel: post.channel,
          ts: post.ts,
          actionId: 'tocsin_acknowledge',
          value: id,
        };
        const forged = await slack.click({ ...base, signingSecret: 'not-the-secret' }, interactions);
        expect(forged.status).toBe(401);
        const stale = await slack.click(
          { ...base, timestamp: Math.floor(Date.now() / 1000) - 600 },
          interactions,
        );
        expect(stale.status).toBe(401);
        expect(await status(id)).toBe('triggered');
        expect(slack.updates.items).toHaveLength(0);
      });

      it('tells an unknown Slack member to link their account and changes nothing', async () => {
        await start();
        const id = await triggerAndRun(t, key);
        const post = await slack.posts.waitFor(() => true);
        const res = await slack.click(
          { userId: BOB, channel: post.channel, ts: post.ts, actionId: 'tocsin_acknowledge', value: id },
          interactions,
        );
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toMatchObject({ response_type: 'ephemeral', replace_original: false });
        expect(res.body).toContain('not linked to a Tocsin user');
        expect(await status(id)).toBe('triggered');
        expect(slack.updates.items).toHaveLength(0);
      });

      it('does not retry invalid_auth and falls back to the next rule', async () => {
        await start('xoxb-revoked-token');
        const id = await triggerAndRun(t, key);
        const notes = await notificationsOf(t.store, id);
        expect(notes.map((n) => `${n.contact_type}:${n.status}:${n.attempts}`)).toEqual([
          'slack:failed:1',
          'email:delivered:1',
        ]);
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', '%by slack failed%')
          .executeTakeFirstOrThrow();
        expect(entry.summary).toMatch(/Slack conversations.open: invalid_auth\. Falling back to email/);
        expect(slack.posts.items).toHaveLength(0);
      });

      it('retries when Slack is rate limited and delivers once', async () => {
        await start();
        slack.fail({ status: 429, times: 1 });
        const id = await triggerAndRun(t, key);
        expect((await notificationsOf(t.store, id))[0]).toMatchObject({ status: 'queued', attempts: 1 });
        await advance(t, 1);
        const [record] = await notificationsOf(t.store, id);
        expect(record).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(slack.posts.items).toHaveLength(1);
      });
    });
  });
}
