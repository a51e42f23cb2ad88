import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSchedule } from '../../src/schedules/final-schedule.js';
import type { Override, ScheduleDefinition } from '../../src/schedules/final-schedule.js';
import type { Layer, Restriction } from '../../src/schedules/layer.js';

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');

const restriction: fc.Arbitrary<Restriction> = fc.oneof(
  fc
    .record({
      h: fc.integer({ min: 0, max: 23 }),
      m: fc.integer({ min: 0, max: 59 }),
      d: fc.integer({ min: 1, max: 24 }),
    })
    .map(({ h, m, d }): Restriction => ({
      type: 'daily_restriction',
      start_time_of_day: `${pad(h)}:${pad(m)}:00`,
      duration_seconds: d * 3600,
    })),
  fc
    .record({
      h: fc.integer({ min: 0, max: 23 }),
      dow: fc.integer({ min: 1, max: 7 }),
      d: fc.integer({ min: 1, max: 168 }),
    })
    .map(({ h, dow, d }): Restriction => ({
      type: 'weekly_restriction',
      start_time_of_day: `${pad(h)}:30:00`,
      duration_seconds: d * 3600,
      start_day_of_week: dow,
    })),
);

const turn = fc.oneof(
  fc.integer({ min: 1, max: 7 }).map((k) => k * 86400),
  fc.integer({ min: 1800, max: 400_000 }),
);

function layerArb(since: number): fc.Arbitrary<Layer> {
  return fc
    .record({
      startOff: fc.integer({ min: -3 * 24 * 60, max: 7 * 24 * 60 }),
      len: fc.option(fc.integer({ min: 60, max: 20 * 24 * 60 })),
      vsOff: fc.integer({ min: -60 * 24 * 60, max: 60 * 24 * 60 }),
      turn,
      users: fc.array(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'), { minLength: 1, maxLength: 4 }),
      restrictions: fc.array(restriction, { maxLength: 2 }),
    })
    .map((r) => {
      const start = since + r.startOff * MIN;
      return {
        start: iso(start),
        end: r.len === null ? null : iso(start + r.len * MIN),
        rotation_virtual_start: iso(since + r.vsOff * MIN),
        rotation_turn_length_seconds: r.turn,
        users: r.users,
        restrictions: r.restrictions,
      };
    });
}

function overrideArb(since: number): fc.Arbitrary<Override> {
  return fc
    .record({
      off: fc.integer({ min: -24 * 60, max: 15 * 24 * 60 }),
      len: fc.integer({ min: 1, max: 3 * 24 * 60 }),
      created: fc.integer({ min: 0, max: 1000 }),
      user: fc.constantFrom('o1', 'o2', 'o3'),
    })
    .map((r) => ({
      user: r.user,
      start: iso(since + r.off * MIN),
      end: iso(since + (r.off + r.len) * MIN),
      created_at: iso(Date.UTC(2025, 0, 1) + r.created * MIN),
    }));
}

const scenario = fc
  .record({ zone: fc.constantFrom(...ZONES), sinceMin: fc.integer({ min: 0, max: 340 * 24 * 60 }) })
  .chain(({ zone, sinceMin }) => {
    const since = Date.UTC(2026, 0, 1) + sinceMin * MIN;
    return fc.record({
      since: fc.constant(since),
      until: fc.constant(since + 14 * DAY),
      schedule: fc.record({
        time_zone: fc.constant(zone),
        layers: fc.array(layerArb(since), { minLength: 1, maxLength: 3 }),
        overrides: fc.array(overrideArb(since), { maxLength: 4 }),
      }),
      samples: fc.array(fc.integer({ min: 0, max: 14 * 24 * 60 - 1 }), { minLength: 5, maxLength: 10 }),
      overflow: fc.boolean(),
    });
  });

type Span = { user: string; start: number; end: number };
const spans = (es: { user: string; start: string; end: string }[]): Span[] =>
  es.map((e) => ({ user: e.user, start: Date.parse(e.start), end: Date.parse(e.end) }));

function newestOverride(s: ScheduleDefinition, t: number): string | null {
  let best: { user: string; created: number } | null = null;
  for (const o of s.overrides) {
    const created = Date.parse(o.created_at);
    if (Date.parse(o.start) <= t && t < Date.parse(o.end) && (best === null || created >= best.created))
      best = { user: o.user, created };
  }
  return best?.user ?? null;
}

const RUNS = { numRuns: 150 };

describe('the final schedule, for random layers and overrides', () => {
  it('never overlaps itself', () => {
    fc.assert(
      fc.property(scenario, ({ since, until, schedule, overflow }) => {
        const f = spans(
          renderSchedule(schedule, iso(since), iso(until), { overflow }).final_schedule
            .rendered_schedule_entries,
        );
        for (let i = 0; i < f.length; i++) {
          const e = f[i] as Span;
          expect(e.end).toBeGreaterThan(e.start);
          if (i > 0) expect(e.start).toBeGreaterThanOrEqual((f[i - 1] as Span).end);
        }
      }),
      RUNS,
    );
  });

  it('has no gap where some layer or override has someone', () => {
    fc.assert(
      fc.property(scenario, ({ since, until, schedule }) => {
        const r = renderSchedule(schedule, iso(since), iso(until));
        const someone = [
          ...r.layers.flatMap((l) => spans(l.rendered_schedule_entries)),
          ...spans(r.overrides_subschedule.rendered_schedule_entries),
        ];
        for (const g of spans(r.gaps.map((x) => ({ ...x, user: '' })))) {
          for (const s of someone) expect(s.end <= g.start || s.start >= g.end).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('shows the newest covering override at any sampled instant', () => {
    fc.assert(
      fc.property(scenario, ({ since, until, schedule, samples, overflow }) => {
        const f = spans(
          renderSchedule(schedule, iso(since), iso(until), { overflow }).final_schedule
            .rendered_schedule_entries,
        );
        const instants = [
          ...samples.map((m) => since + m * MIN),
          ...schedule.overrides.map((o) => Date.parse(o.start)).filter((t) => t >= since && t < until),
        ];
        for (const t of instants) {
          const want = newestOverride(schedule, t);
          if (want === null) continue;
          expect(f.find((e) => e.start <= t && t < e.end)?.user).toBe(want);
        }
      }),
      RUNS,
    );
  });

  it('keeps every entry within the window unless overflow is asked for', () => {
    fc.assert(
      fc.property(scenario, ({ since, until, schedule }) => {
        const r = renderSchedule(schedule, iso(since), iso(until));
        const all = [
          ...spans(r.final_schedule.rendered_schedule_entries),
          ...spans(r.overrides_subschedule.rendered_schedule_entries),
          ...r.layers.flatMap((l) => spans(l.rendered_schedule_entries)),
        ];
        for (const e of all) {
          expect(e.start).toBeGreaterThanOrEqual(since);
          expect(e.end).toBeLessThanOrEqual(until);
        }
      }),
      RUNS,
    );
  });
});
