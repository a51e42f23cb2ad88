import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planAssignmentNotifications } from '../../src/notify/assignment-notifications.js';
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.js';
import type { SlackCall } from '../fakes/slack-api.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration } from '../harness/factories.js';
import {
  advance,
  incidentStatus,
  insertUser,
  notificationsOf,
  triggerAndRun,
} from '../harness/on-call-fixtures.js';
import { addContactMethod, addNotificationRule } from '../harness/people.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

const ANA = 'U0ANA00001';
const BOB = 'U0BOB00002';
const INCIDENTS = 'C0INCIDENT1';
const ESCALATIONS = 'C0ESCALATE2';
const ADMIN_EMAIL = 'admin@tocsin.local';

interface Block {
  type: string;
  fields?: { text: string }[];
  elements?: { action_id?: string; text?: string }[];
}

const buttons = (blocks: unknown) =>
  (blocks as Block[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.action_id);
const statusOf = (blocks: unknown) =>
  (blocks as Block[])
    .flatMap((b) => b.fields ?? [])
    .find((f) => f.text.startsWith('*Status*'))
    ?.text.replace('*Status*\n', '');
const noteOf = (blocks: unknown) =>
  (blocks as Block[]).find((b) => b.type === 'context')?.elements?.[0]?.text;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('Slack channels per service and level, and messages kept current', () => {
      let t: TestApp;
      let slack: SlackFake;
      let alice: string;
      let bob: string;
      let key: string;
      let serviceId: string;
      let policyId: string;
      let interactions: string;

      beforeEach(async () => {
        slack = await startSlackFake({
          users: [
            { id: ANA, name: 'ana' },
            { id: BOB, name: 'bob' },
          ],
          channels: [
            { id: INCIDENTS, name: 'incidents' },
            { id: ESCALATIONS, name: 'escalations' },
          ],
        });
        t = await startTestApp(backend.fresh(), {
          config: {
            slackApiUrl: `${slack.baseUrl}/api`,
            slackBotToken: slack.botToken,
            slackSigningSecret: slack.signingSecret,
          },
        });
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        interactions = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/slack/interactions`;
        alice = await insertUser(t.store, 'Alice', []);
        await addNotificationRule(
          t,
          alice,
          (await addContactMethod(t, alice, 'slack_contact_method', ANA)).id,
          'high',
          0,
        );
        bob = await insertUser(t.store, 'Bob', []);
        await addContactMethod(t, bob, 'slack_contact_method', BOB);
        const policy = await t.api('POST', '/api/v2/escalation_policies', {
          escalation_policy: {
            type: 'escalation_policy',
            name: 'Checkout',
            escalation_rules: [
              { escalation_delay_in_minutes: 30, targets: [{ id: alice, type: 'user_reference' }] },
              {
                escalation_delay_in_minutes: 30,
                targets: [{ id: bob, type: 'user_reference' }],
                slack_channel_id: ESCALATIONS,
              },
            ],
          },
        });
        expect(policy.statusCode, policy.body).toBe(201);
        policyId = policy.json<{ escalation_policy: { id: string } }>().escalation_policy.id;
        ({ key, serviceId } = await insertServiceWithIntegration(t.store, { name: 'Checkout' }));
        const service = await t.api('PUT', `/api/v2/services/${serviceId}`, {
          service: {
            escalation_policy: { id: policyId, type: 'escalation_policy_reference' },
            slack_channel_id: INCIDENTS,
          },
        });
        expect(service.statusCode, service.body).toBe(200);
      });
      afterEach(async () => {
        await t.close();
        await slack.stop();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const postsTo = (channel: string) => slack.posts.items.filter((p) => p.channel === channel);
      const current = (post: SlackCall) => slack.message(post.channel, post.ts)!;
      const acknowledgeByRest = (id: string) =>
        t.api(
          'PUT',
          `/api/v2/incidents/${id}`,
          { incident: { type: 'incident_reference', status: 'acknowledged' } },
          { from: ADMIN_EMAIL },
        );

      it('shows the channels on the service and the policy, and refuses what is not a channel ID', async () => {
        const service = await t.api('GET', `/api/v2/services/${serviceId}`);
        expect(service.json<{ service: { slack_channel_id: string } }>().service.slack_channel_id).toBe(
          INCIDENTS,
        );
        const policy = await t.api('GET', `/api/v2/escalation_policies/${policyId}`);
        const rules = policy.json<{
          escalation_policy: { escalation_rules: { slack_channel_id: unknown }[] };
        }>().escalation_policy.escalation_rules;
        expect(rules.map((r) => r.slack_channel_id)).toEqual([null, ESCALATIONS]);
        const bad = await t.api('PUT', `/api/v2/services/${serviceId}`, {
          service: { slack_channel_id: '#incidents' },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.body).toContain('slack_channel_id must be a Slack channel ID');
        const badRule = await t.api('PUT', `/api/v2/escalation_policies/${policyId}`, {
          escalation_policy: {
            escalation_rules: [
              {
                escalation_delay_in_minutes: 30,
                targets: [{ id: alice, type: 'user_reference' }],
                slack_channel_id: ANA,
              },
            ],
          },
        });
        expect(badRule.statusCode).toBe(400);
        expect(badRule.body).toContain('escalation_rules[0].slack_channel_id must be a Slack channel ID');
        // A client that echoes PagerDuty's shape without the field keeps the level's channel.
        const echoed = await t.api('PUT', `/api/v2/escalation_policies/${policyId}`, {
          escalation_policy: {
            escalation_rules: rules.map((r) =>
              Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'slack_channel_id')),
            ),
          },
        });
        expect(echoed.statusCode, echoed.body).toBe(200);
        expect(
          echoed
            .json<{ escalation_policy: { escalation_rules: { slack_channel_id: unknown }[] } }>()
            .escalation_policy.escalation_rules.map((r) => r.slack_channel_id),
        ).toEqual([null, ESCALATIONS]);
        // null clears the service's channel.
        const cleared = await t.api('PUT', `/api/v2/services/${serviceId}`, {
          service: { slack_channel_id: null },
        });
        expect(
          cleared.json<{ service: { slack_channel_id: unknown } }>().service.slack_channel_id,
        ).toBeNull();
      });

      it("posts to the service's channel once and to a level's channel when the incident reaches it, with buttons", async () => {
        const id = await triggerAndRun(t, key);
        const [post] = postsTo(INCIDENTS);
        expect(post!.message.text).toBe('#1 Disk full on disk (Checkout, high urgency): triggered');
        expect(buttons(post!.message.blocks)).toEqual(['tocsin_acknowledge', 'tocsin_resolve']);
        expect(postsTo('D0ANA00001')).toHaveLength(1);
        const channelRow = (await notificationsOf(t.store, id)).find((n) => n.reason === 'slack_channel')!;
        expect(channelRow).toMatchObject({
          status: 'delivered',
          channel: 'slack',
          provider_ref: `${INCIDENTS}:${post!.ts}`,
        });
        // Planning the same assignment again (another node, a repeated step) adds no second post.
        const incident = await t.store.db
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await t.store.transaction((tx) =>
          planAssignmentNotifications(
            tx,
            [alice],
            {
              incidentId: id,
              incidentNumber: 1,
              title: incident.title,
              serviceName: 'Checkout',
              urgency: 'high',
              seq: Number(incident.assignment_seq),
              reason: 'assigned',
            },
            t.clock.now().toISOString(),
          ),
        );
        await t.app.engine.runDue();
        expect(postsTo(INCIDENTS)).toHaveLength(1);
        expect(postsTo(ESCALATIONS)).toHaveLength(0);

        // Level 2 is reached after 30 minutes: its channel gets the incident, the service's does not again.
        await advance(t, 30);
        expect(postsTo(ESCALATIONS)).toHaveLength(1);
        expect(postsTo(INCIDENTS)).toHaveLength(1);
        expect(postsTo('D0BOB00002')).toHaveLength(0); // Bob has no rule: only the channel hears of it
        const log = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', 'Posted to Slack channel%')
          .orderBy('created_at')
          .execute();
        expect(log.map((e) => e.summary)).toEqual([
          `Posted to Slack channel ${INCIDENTS}.`,
          `Posted to Slack channel ${ESCALATIONS}.`,
        ]);
        // The service's message was updated to show the escalation.
        expect(noteOf(current(post!).blocks)).toMatch(/^Escalated to level 2/);
      });

      it("acts on a click in a channel as the clicking member's Tocsin user and updates every message", async () => {
        const id = await triggerAndRun(t, key);
        const [post] = postsTo(INCIDENTS);
        const res = await slack.click(
          { userId: BOB, channel: INCIDENTS, ts: post!.ts, actionId: 'tocsin_acknowledge', value: id },
          interactions,
        );
        expect(res.body).toContain('is acknowledged');
        await t.app.engine.runDue();
        expect(await incidentStatus(t.store, id)).toBe('acknowledged');
        const entry = await t.store.db
          .selectFrom('log_entries')
          .select(['agent', 'channel'])
          .where('incident_id', '=', id)
          .where('type', '=', 'acknowledge_log_entry')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(entry.agent!)).toMatchObject({ id: bob });
        expect(JSON.parse(entry.channel)).toEqual({ type: 'slack' });
        for (const p of [post!, postsTo('D0ANA00001')[0]!]) {
          expect(statusOf(current(p).blocks)).toBe('acknowledged');
          expect(noteOf(current(p).blocks)).toBe('Acknowledged by Bob in Slack.');
          expect(buttons(current(p).blocks)).toEqual(['tocsin_resolve']);
        }
      });

      it('updates every Slack message when the incident is acknowledged through the API and resolved by the monitoring tool', async () => {
        const id = await triggerAndRun(t, key);
        const messages = [postsTo(INCIDENTS)[0]!, postsTo('D0ANA00001')[0]!];
        expect((await acknowledgeByRest(id)).statusCode).toBe(200);
        await t.app.engine.runDue();
        const updates = slack.updates.items;
        expect(updates.map((u) => `${u.channel}:${u.ts}`).sort()).toEqual(
          messages.map((m) => `${m.channel}:${m.ts}`).sort(),
        );
        for (const m of messages) {
          expect(statusOf(current(m).blocks)).toBe('acknowledged');
          expect(noteOf(current(m).blocks)).toMatch(/^Acknowledged by .+ through the API\.$/);
        }
        const resolved = await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        expect(resolved.statusCode).toBe(202);
        await t.app.engine.runDue();
        for (const m of messages) {
          expect(statusOf(current(m).blocks)).toBe('resolved');
          expect(buttons(current(m).blocks)).toEqual([]);
        }
        expect(slack.updates.items).toHaveLength(4);
        // Updates are not pages: nothing about them on the incident's timeline.
        const rows = (await notificationsOf(t.store, id)).filter((n) => n.reason === 'slack_update');
        expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      });

      it('retries an update Slack could not take and sends only the newest of several queued updates', async () => {
        const id = await triggerAndRun(t, key);
        const [post] = postsTo(INCIDENTS);
        slack.fail({ status: 503, times: 2 });
        expect((await acknowledgeByRest(id)).statusCode).toBe(200);
        await t.app.engine.runDue();
        expect(slack.updates.items).toHaveLength(0);
        const retry = await t.store.db
          .selectFrom('log_entries')
          .select('summary')
          .where('incident_id', '=', id)
          .where('summary', 'like', 'Updating the Slack message%')
          .execute();
        expect(retry.length).toBeGreaterThan(0);
        expect(retry[0]!.summary).toMatch(
          /failed \(attempt 1 of 5\): Slack chat.update: HTTP 503\. Retrying at/,
        );
        // Resolved meanwhile: the queued acknowledge updates give way to the resolve's.
        await t.send({ routing_key: key, event_action: 'resolve', dedup_key: 'disk' });
        await advance(t, 1);
        expect(statusOf(current(post!).blocks)).toBe('resolved');
        const rows = (await notificationsOf(t.store, id)).filter((n) => n.reason === 'slack_update');
        expect(rows.filter((r) => r.status === 'queued')).toHaveLength(0);
        expect(rows.map((r) => r.last_error)).toContain('superseded by a newer update');
        const perMessage = slack.updates.items.filter((u) => u.channel === INCIDENTS);
        expect(perMessage.map((u) => statusOf(u.message.blocks))).toEqual(['resolved']);
      });
    });
  });
}
