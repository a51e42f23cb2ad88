import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storableText } from '../../src/store/raw-sql.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

/*
 * Throws random and malformed events at /v2/enqueue and checks the invariants a sender relies on: never a
 * 5xx (senders would retry a poison event forever), always one of PagerDuty's statuses with a JSON body,
 * and every event answered 202 is on disk (as an alert or in the dropped-events log).
 */

const RUNS = { junk: 150, shaped: 300, raw: 100, huge: 8 };

/** Statuses /v2/enqueue may answer (429 only when rate limited, which these apps are not). */
const ALLOWED = [202, 400, 413, 429];

/** Strings with the characters that tend to break things: NUL, lone surrogates, RTL marks, emoji, quotes. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\u202e',
    '😀',
    '"\'\\',
    '\r\n',
    'null',
  ),
);

/** A dedup key pool small enough that acks and resolves often hit a triggered alert. */
const dedupKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('k1', 'k2', 'k3', 'k4') },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ minLength: 250, maxLength: 260 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** A value of any JSON type, including junk nested a few levels deep. */
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 3 }), nasty);

/** Nesting up to well past the depth limit, as arrays or objects. */
const nested = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.boolean()).map(([levels, asArrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = asArrays ? [value] : { deeper: value };
  return value;
});

function shapedEvent(keys: string[]) {
  const text = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) }, junk);
  const payload = fc.record(
    {
      summary: fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1000, max: 1030 }).map((n) => 's'.repeat(n)) },
        { weight: 1, arbitrary: junk },
      ),
      source: text,
      severity: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('critical', 'error', 'warning', 'info') },
        { weight: 1, arbitrary: fc.constantFrom('Critical', 'WARNING', 'warn', '') },
        { weight: 1, arbitrary: junk },
      ),
      timestamp: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('2015-07-17T08:42:58.315+0000', 'yesterday', '+275760-09-13T00:00:00.000Z'),
        junk,
      ),
      component: text,
      group: text,
      class: text,
      custom_details: fc.oneof(junk, nested),
    },
    { requiredKeys: [] },
  );
  const link = fc.record({ href: text, text }, { requiredKeys: [] });
  const image = fc.record({ src: fc.oneof(fc.webUrl(), text), href: text, alt: text }, { requiredKeys: [] });
  return fc.record(
    {
      routing_key: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...keys) },
        { weight: 1, arbitrary: fc.string({ minLength: 32, maxLength: 32 }) },
        { weight: 1, arbitrary: junk },
      ),
      event_action: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('trigger', 'acknowledge', 'resolve') },
        { weight: 1, arbitrary: junk },
      ),
      dedup_key: dedupKey,
      payload: fc.oneof({ weight: 5, arbitrary: payload }, { weight: 1, arbitrary: junk }),
      links: fc.oneof(fc.array(link, { maxLength: 3 }), junk),
      images: fc.oneof(fc.array(image, { maxLength: 3 }), junk),
      client: text,
      client_url: text,
    },
    { requiredKeys: [] },
  );
}

/** Valid events from a small key pool, so triggers, acks and resolves interleave on real alerts. */
function validEvent(key: string) {
  return fc.oneof(
    fc.constantFrom('k1', 'k2', 'k3', 'k4').map((dedup) => triggerBody(key, dedup)),
    fc.constant(triggerBody(key)),
    fc
      .tuple(
        fc.constantFrom('acknowledge', 'resolve'),
        fc.constantFrom('k1', 'k2', 'k3', 'k4', 'never-triggered'),
      )
      .map(([action, dedup]) => ({ routing_key: key, event_action: action, dedup_key: dedup })),
  );
}

const FIELDS = [
  'routing_key',
  'event_action',
  'dedup_key',
  'payload',
  'payload.summary',
  'payload.source',
  'payload.severity',
  'payload.timestamp',
  'payload.component',
  'payload.group',
  'payload.class',
  'payload.custom_details',
  'links',
  'images',
  'client',
  'client_url',
] as const;

/** A valid event with one to three fields replaced by junk or removed: reaches ingest far more often. */
function mutatedEvent(key: string) {
  const value = fc.oneof(junk, nested, dedupKey, nasty, fc.constant(undefined));
  return fc
    .tuple(
      validEvent(key),
      fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { minLength: 1, maxLength: 3 }),
    )
    .map(([base, mutations]) => {
      const event = structuredClone(base) as Record<string, unknown>;
      for (const [field, replacement] of mutations) {
        const [head, leaf] = field.split('.') as [string, string | undefined];
        if (leaf === undefined) event[head] = replacement;
        else if (typeof event[head] === 'object' && event[head] !== null)
          (event[head] as Record<string, unknown>)[leaf] = replacement;
        else event[head] = { [leaf]: replacement };
      }
      return event;
    });
}

/**
 * A key as the store keeps it: NUL becomes U+FFFD (PostgreSQL text cannot hold NUL). Lone surrogates
 * need no mapping: each driver converts them the same way when storing and when querying.
 */
function asStored(key: string): string {
  return key.replaceAll('\u0000', '\uFFFD');
}

for (const backend of backends()) {
  describe(`/v2/enqueue under random and malformed events on ${backend.name}`, () => {
    let t: TestApp;
    let key: string;
    let disabledKey: string;
    const accepted = new Set<string>();
    const seen = new Map<number, number>();
    const failures: string[] = [];
    const onUnhandled = (error: unknown) => failures.push(String(error));

    /** Posts a raw body and checks the answer; the property fails on anything but a well-formed reply. */
    async function post(payload: string, contentType: string | undefined = 'application/json') {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v2/enqueue',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
        payload,
      });
      seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1);
      const context = `${response.statusCode} ${response.body.slice(0, 300)} for ${payload.slice(0, 300)}`;
      expect(ALLOWED, context).toContain(response.statusCode);
      expect(response.headers['content-type'], context).toMatch(/^application\/json/);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      expect(typeof body.status, context).toBe('string');
      if (response.statusCode === 202) {
        expect(body, context).toMatchObject({ status: 'success', message: 'Event processed' });
        expect(typeof body.dedup_key, context).toBe('string');
        accepted.add(body.dedup_key as string);
      } else {
        expect(body.status, context).not.toBe('success');
      }
    }

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      process.on('uncaughtException', onUnhandled);
      t = await startTestApp(backend.fresh());
      ({ key } = await insertServiceWithIntegration(t.store));
      ({ key: disabledKey } = await insertServiceWithIntegration(t.store, { status: 'disabled' }));
    });
    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await t.close();
      await backend.cleanup();
    });

    it('answers any JSON value with a PagerDuty status and a JSON body, never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(junk, async (value) => {
          await post(JSON.stringify(value) ?? 'null');
        }),
        { numRuns: RUNS.junk },
      );
    });

    it('answers events with the v2 field names but random types, mixed with valid events, never with a 5xx', async () => {
      const events = fc.oneof(
        { weight: 2, arbitrary: shapedEvent([key, disabledKey]) },
        { weight: 3, arbitrary: mutatedEvent(key) },
        { weight: 1, arbitrary: validEvent(disabledKey) },
        { weight: 2, arbitrary: validEvent(key) },
      );
      // Sent in small concurrent bursts so that several events share one group commit.
      await fc.assert(
        fc.asyncProperty(fc.array(events, { minLength: 1, maxLength: 4 }), async (burst) => {
          await Promise.all(burst.map((event) => post(JSON.stringify(event))));
        }),
        { numRuns: RUNS.shaped },
      );
      expect(seen.get(202)).toBeGreaterThan(0);
      expect(seen.get(400)).toBeGreaterThan(0);
    });

    it('answers random raw bodies and content types with 400 or 413, never a 5xx', async () => {
      const raw = fc.oneof(
        nasty,
        fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
        fc.constantFrom('', '{', '[]', '{"routing_key":', 'null', '"string"', '\u0000', '\ufeff{}'),
        fc.constant(JSON.stringify(triggerBody(key, 'k1'))),
      );
      const contentType = fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        undefined,
      );
      await fc.assert(
        fc.asyncProperty(raw, contentType, async (body, type) => {
          await post(body, type);
        }),
        { numRuns: RUNS.raw },
      );
    });

    it('answers huge events around the 512 KB limit with 202 or 413', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 500 * 1024, max: 530 * 1024 }),
          fc.constantFrom('x', 'é', '😀'),
          async (size, char) => {
            const blob = char.repeat(Math.floor(size / Buffer.byteLength(char)));
            await post(
              JSON.stringify(triggerBody(key, undefined, { payload: { custom_details: { blob } } })),
            );
          },
        ),
        { numRuns: RUNS.huge },
      );
      expect(seen.get(413)).toBeGreaterThan(0);
    });

    it('has stored every event it answered with 202, and still serves requests', async () => {
      expect(failures).toEqual([]);
      const keys = [...accepted].map(asStored);
      const found = new Set<string>();
      for (let i = 0; i < keys.length; i += 200) {
        const chunk = keys.slice(i, i + 200);
        const alerts = await t.store.db
          .selectFrom('alerts')
          .select('alert_key as k')
          .where('alert_key', 'in', chunk)
          .execute();
        const dropped = await t.store.db
          .selectFrom('dropped_events')
          .select('dedup_key as k')
          .where('dedup_key', 'in', chunk)
          .execute();
        for (const row of [...alerts, ...dropped]) if (row.k !== null) found.add(row.k);
      }
      // Keys with NUL or lone surrogates are stored with U+FFFD in their place (on both backends), so those
      // are looked up as stored.
      const missing: string[] = [];
      for (const k of keys.filter((k) => !found.has(k))) {
        const storedKey = storableText(k) as string;
        const alert = await t.store.db
          .selectFrom('alerts')
          .select('id')
          .where('alert_key', '=', storedKey)
          .execute();
        const dropped = await t.store.db
          .selectFrom('dropped_events')
          .select('id')
          .where('dedup_key', '=', storedKey)
          .execute();
        if (alert.length + dropped.length === 0) missing.push(k);
      }
      expect(missing).toEqual([]);
      expect(accepted.size).toBeGreaterThan(10);
      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
    });
  });
}
