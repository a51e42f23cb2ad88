import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longId } from '../../src/lib/ids.js';
import type { FeedEntry } from '../../src/incidents/log-entry-feed-store.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../harness/test-app.js';

/** An open event stream: the events read so far and a way to wait for one. */
interface EventStream {
  events: { event: string; id?: string; data: unknown }[];
  waitFor(pred: (e: { event: string; id?: string; data: unknown }) => boolean, ms?: number): Promise<number>;
  close(): void;
}

/** Opens `GET /api/v2/incidents/stream` with the admin token and parses its frames as they arrive. */
async function openStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v2/incidents/stream`, {
    headers: { authorization: `Token token=${ADMIN_TOKEN}`, ...headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: EventStream['events'] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          ) as Record<string, string>;
          if (fields.data !== undefined)
            events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    async waitFor(pred, ms = 3000) {
      const started = Date.now();
      for (;;) {
        if (events.some(pred)) return Date.now() - started;
        if (Date.now() - started > ms) throw new Error(`no matching event in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => controller.abort(),
  };
}

const entriesOf = (e: { data: unknown }) => (e.data as { log_entries?: FeedEntry[] }).log_entries ?? [];

describe.each(backends())('the live incident stream ($name)', (backend) => {
  let t: TestApp;
  let url: string;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp(backend.fresh());
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ({ key } = await insertServiceWithIntegration(t.store));
  });
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
  });

  it('refuses a request without credentials', async () => {
    expect((await fetch(`${url}/api/v2/incidents/stream`)).status).toBe(401);
  });

  it('sends the trigger of a new incident within a second', async () => {
    const stream = await openStream(url);
    await stream.waitFor((e) => e.event === 'ready');
    await new Promise((r) => setTimeout(r, 100)); // the feed's first poll sets its cursor
    expect((await t.send(triggerBody(key, 'stream-1'))).statusCode).toBe(202);
    const ms = await stream.waitFor((e) => entriesOf(e).some((l) => l.type === 'trigger_log_entry'));
    expect(ms).toBeLessThan(1000);
    stream.close();
  });

  it('sends entries another node wrote straight to the database, once each', async () => {
    const stream = await openStream(url);
    await stream.waitFor((e) => e.event === 'ready');
    await new Promise((r) => setTimeout(r, 100));
    const incident = await t.store.db
      .selectFrom('incidents')
      .select(['id', 'service_id'])
      .executeTakeFirstOrThrow();
    const id = longId();
    await t.store.db
      .insertInto('log_entries')
      .values({
        id,
        type: 'annotate_log_entry',
        incident_id: incident.id,
        alert_id: null,
        service_id: incident.service_id,
        created_at: t.clock.now().toISOString(),
        channel: JSON.stringify({ type: 'note' }),
        agent: null,
        summary: 'From another node',
        note: 'hello',
      })
      .execute();
    await stream.waitFor((e) => entriesOf(e).some((l) => l.id === id));
    await new Promise((r) => setTimeout(r, 1200)); // a few more polls re-read the look-back window
    const copies = stream.events.flatMap(entriesOf).filter((l) => l.id === id);
    expect(copies).toHaveLength(1);
    stream.close();
  });

  it('keeps up when more entries than one read (2,000) land in its look-back window', async () => {
    const stream = await openStream(url);
    await stream.waitFor((e) => e.event === 'ready');
    const incident = await t.store.db
      .selectFrom('incidents')
      .select(['id', 'service_id'])
      .executeTakeFirstOrThrow();
    const row = (id: string) => ({
      id,
      type: 'notify_log_entry',
      incident_id: incident.id,
      alert_id: null,
      service_id: incident.service_id,
      created_at: t.clock.now().toISOString(),
      channel: JSON.stringify({ type: 'auto' }),
      agent: null,
      summary: 'Burst',
      note: null,
    });
    const ids = Array.from({ length: 2500 }, () => longId());
    for (let i = 0; i < ids.length; i += 500)
      await t.store.db
        .insertInto('log_entries')
        .values(ids.slice(i, i + 500).map(row))
        .execute();
    await stream.waitFor((e) => entriesOf(e).some((l) => l.id === ids.at(-1)), 5000);
    const last = longId();
    await t.store.db.insertInto('log_entries').values(row(last)).execute();
    await stream.waitFor((e) => entriesOf(e).some((l) => l.id === last), 3000);
    expect(new Set(stream.events.flatMap(entriesOf).map((l) => l.id)).size).toBeGreaterThanOrEqual(2501);
    stream.close();
  });

  it('replays what a reconnecting client missed after its Last-Event-ID', async () => {
    const first = await openStream(url);
    await first.waitFor((e) => e.event === 'ready');
    await new Promise((r) => setTimeout(r, 100));
    await t.send(triggerBody(key, 'stream-2'));
    await first.waitFor((e) => entriesOf(e).length > 0 && e.id !== undefined);
    const lastId = first.events.filter((e) => e.id !== undefined).at(-1)!.id!;
    first.close();
    await t.send(triggerBody(key, 'stream-3'));
    const again = await openStream(url, { 'last-event-id': lastId });
    await again.waitFor((e) => entriesOf(e).some((l) => l.type === 'trigger_log_entry'));
    expect(again.events[0]!.event).toBe('log_entries');
    again.close();
  });
});
