import ICAL from 'ical.js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { insertBareUser } from '../harness/on-call-fixtures.js';
import { userToken } from '../harness/people.js';
import { layerBody } from '../schedules/api-fixtures.js';

interface FeedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
}

/** Parses an iCalendar text with ical.js and returns its calendar properties and events. */
function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const events: FeedEvent[] = calendar.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
    };
  });
  const prop = (name: string) => String(calendar.getFirstPropertyValue(name));
  return {
    version: prop('version'),
    prodid: prop('prodid'),
    method: prop('method'),
    name: prop('x-wr-calname'),
    events,
  };
}

const path = (url: string) => new URL(url).pathname;

for (const backend of backends()) {
  describe(backend.name, () => {
    describe('calendar feeds', () => {
      let t: TestApp;
      let alice: string;
      let bob: string;
      beforeEach(async () => {
        t = await startTestApp(backend.fresh());
        alice = await insertBareUser(t.store, 'Alice');
        bob = await insertBareUser(t.store, 'Bob');
      });
      afterEach(async () => {
        await t.close();
      });
      afterAll(async () => {
        await backend.cleanup();
      });

      const create = async (name: string, users: string[], zone = 'UTC') => {
        const res = await t.api('POST', '/api/v2/schedules', {
          schedule: { name, time_zone: zone, schedule_layers: [layerBody(users)] },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ schedule: { id: string; http_cal_url: string; web_cal_url: string } }>().schedule;
      };
      const fetchFeed = (url: string) => t.app.inject({ method: 'GET', url: path(url) });

      it('serves a schedule feed whose events match the final schedule', async () => {
        const s = await create('Primary', [alice, bob]);
        const res = await fetchFeed(s.http_cal_url);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
        const feed = parseFeed(res.body);
        expect(feed).toMatchObject({ version: '2.0', method: 'PUBLISH', name: 'Primary' });
        expect(feed.prodid).toContain('Tocsin');
        // From the layer's start (within 30 days back) to 180 days ahead of 2026-01-05T09:00Z, whole turns.
        expect(feed.events[0]).toMatchObject({ start: '2026-01-01T00:00:00.000Z' });
        expect(feed.events.at(-1)).toMatchObject({ end: '2026-07-04T09:00:00.000Z' });
        const rest = await t.api('GET', `/api/v2/schedules/${s.id}?overflow=true`);
        const final = rest.json<{
          schedule: {
            final_schedule: {
              rendered_schedule_entries: { start: string; end: string; user: { summary: string } }[];
            };
          };
        }>().schedule.final_schedule.rendered_schedule_entries;
        const expected = final.map((e) => ({
          summary: `On call: ${e.user.summary} (Primary)`,
          start: new Date(e.start).toISOString(),
          end: new Date(e.end).toISOString(),
        }));
        const now = Date.parse('2026-01-05T09:00:00Z');
        const inWindow = feed.events.filter(
          (e) => Date.parse(e.end) > now && Date.parse(e.start) < now + 14 * 86_400_000,
        );
        expect(inWindow.map(({ summary, start, end }) => ({ summary, start, end }))).toEqual(expected);
      });

      it('writes CRLF lines folded at 75 octets with escaped text, in UTC', async () => {
        const s = await create(
          'Ops, EU; nights \\ weekends — a rather long schedule name that must be folded',
          [alice],
        );
        const body = (await fetchFeed(s.http_cal_url)).body;
        expect(body.endsWith('\r\n')).toBe(true);
        expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        for (const line of body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
        expect(body).toContain('SUMMARY:On call: Alice (Ops\\, EU\\; nights \\\\ weekends');
        expect(body).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
        const feed = parseFeed(body);
        expect(feed.events[0]!.summary).toBe(
          'On call: Alice (Ops, EU; nights \\ weekends — a rather long schedule name that must be folded)',
        );
      });

      it('keeps each shift’s UID when the feed is fetched again later', async () => {
        const s = await create('Stable', [alice, bob]);
        const before = parseFeed((await fetchFeed(s.http_cal_url)).body).events;
        t.clock.advance(3 * 86_400_000 + 3_600_000);
        const after = parseFeed((await fetchFeed(s.http_cal_url)).body).events;
        const byStart = new Map(before.map((e) => [e.start, e.uid]));
        const common = after.filter((e) => byStart.has(e.start));
        expect(common.length).toBeGreaterThan(150);
        for (const e of common) expect(e.uid).toBe(byStart.get(e.start));
        expect(new Set(after.map((e) => e.uid)).size).toBe(after.length);
      });

      it('revokes the old URL when a schedule feed is rotated, and 404s unknown tokens and deleted schedules', async () => {
        const s = await create('Rotating', [alice]);
        const res = await t.api('POST', `/api/v2/schedules/${s.id}/calendar_feed/rotate`);
        expect(res.statusCode).toBe(200);
        const feed = res.json<{ calendar_feed: { http_cal_url: string; web_cal_url: string } }>()
          .calendar_feed;
        expect(feed.http_cal_url).not.toBe(s.http_cal_url);
        expect(feed.web_cal_url.startsWith('webcal://')).toBe(true);
        expect((await fetchFeed(s.http_cal_url)).statusCode).toBe(404);
        expect((await fetchFeed(feed.http_cal_url)).statusCode).toBe(200);
        expect((await t.app.inject({ method: 'GET', url: '/calendars/schedules/nope.ics' })).statusCode).toBe(
          404,
        );
        expect((await t.app.inject({ method: 'GET', url: '/calendars/users/nope.ics' })).statusCode).toBe(
          404,
        );
        expect((await t.api('DELETE', `/api/v2/schedules/${s.id}`)).statusCode).toBe(204);
        expect((await fetchFeed(feed.http_cal_url)).statusCode).toBe(404);
        const other = await create('Other', [alice]);
        const responder = await userToken(t, alice);
        const refused = await t.api(
          'POST',
          `/api/v2/schedules/${other.id}/calendar_feed/rotate`,
          undefined,
          responder,
        );
        expect(refused.statusCode).toBe(403);
      });

      it('lists a user’s shifts across schedules, overrides included, in their own feed', async () => {
        await create('Alpha', [alice]);
        const beta = await create('Beta', [bob]);
        await t.api('POST', `/api/v2/schedules/${beta.id}/overrides`, {
          overrides: [{ start: '2026-01-10T00:00:00Z', end: '2026-01-11T00:00:00Z', user: { id: alice } }],
        });
        const me = await userToken(t, alice);
        const first = await t.api('GET', `/api/v2/users/${alice}/calendar_feed`, undefined, me);
        expect(first.statusCode, first.body).toBe(200);
        const url = first.json<{ calendar_feed: { http_cal_url: string } }>().calendar_feed.http_cal_url;
        expect(url).toMatch(/^http:\/\/tocsin\.test\/calendars\/users\/.+\.ics$/);
        const again = await t.api('GET', `/api/v2/users/${alice}/calendar_feed`);
        expect(again.json<{ calendar_feed: { http_cal_url: string } }>().calendar_feed.http_cal_url).toBe(
          url,
        );
        const feed = parseFeed((await fetchFeed(url)).body);
        expect(feed.name).toBe('On call: Alice');
        expect(new Set(feed.events.map((e) => e.summary))).toEqual(
          new Set(['On call: Alice (Alpha)', 'On call: Alice (Beta)']),
        );
        expect(feed.events.find((e) => e.summary.endsWith('(Beta)'))).toMatchObject({
          start: '2026-01-10T00:00:00.000Z',
          end: '2026-01-11T00:00:00.000Z',
        });
      });

      it('lets users rotate their own feed and admins anyone’s, but not others', async () => {
        const me = await userToken(t, alice);
        expect((await t.api('GET', `/api/v2/users/${bob}/calendar_feed`, undefined, me)).statusCode).toBe(
          403,
        );
        expect(
          (await t.api('POST', `/api/v2/users/${bob}/calendar_feed/rotate`, undefined, me)).statusCode,
        ).toBe(403);
        const old = (await t.api('GET', `/api/v2/users/${alice}/calendar_feed`, undefined, me)).json<{
          calendar_feed: { http_cal_url: string };
        }>().calendar_feed.http_cal_url;
        const mine = await t.api('POST', `/api/v2/users/${alice}/calendar_feed/rotate`, undefined, me);
        expect(mine.statusCode).toBe(200);
        expect((await fetchFeed(old)).statusCode).toBe(404);
        const byAdmin = await t.api('POST', `/api/v2/users/${alice}/calendar_feed/rotate`);
        const fresh = byAdmin.json<{ calendar_feed: { http_cal_url: string } }>().calendar_feed.http_cal_url;
        expect((await fetchFeed(fresh)).statusCode).toBe(200);
        expect((await t.api('GET', '/api/v2/users/PNOPE00/calendar_feed')).statusCode).toBe(404);
      });
    });
  });
}
