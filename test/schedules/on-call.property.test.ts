import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSchedule, type ScheduleDefinition } from '../../src/schedules/final-schedule.js';
import type { Layer } from '../../src/schedules/layer.js';
import { whoIsOnCall } from '../../src/schedules/on-call.js';

const HOUR = 3_600_000;
const BASE = Date.parse('2026-03-01T00:00:00Z');
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const iso = (ms: number) => new Date(ms).toISOString();

const layer: fc.Arbitrary<Layer> = fc
  .record({
    vs: fc.integer({ min: -500, max: 500 }),
    turn: fc.oneof(fc.constantFrom(86400, 604800), fc.integer({ min: 1800, max: 200_000 })),
    users: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
    restricted: fc.option(
      fc.record({ h: fc.integer({ min: 0, max: 23 }), d: fc.integer({ min: 1, max: 30 }) }),
    ),
  })
  .map((r) => ({
    start: iso(BASE - 30 * 24 * HOUR),
    end: null,
    rotation_virtual_start: iso(BASE + r.vs * HOUR),
    rotation_turn_length_seconds: r.turn,
    users: r.users,
    restrictions: r.restricted
      ? [
          {
            type: 'daily_restriction',
            start_time_of_day: `${String(r.restricted.h).padStart(2, '0')}:00:00`,
            duration_seconds: r.restricted.d * 3600,
          },
        ]
      : [],
  }));

const schedule: fc.Arbitrary<ScheduleDefinition> = fc.record({
  time_zone: fc.constantFrom(...ZONES),
  layers: fc.array(layer, { minLength: 1, maxLength: 3 }),
  overrides: fc.array(
    fc
      .record({
        s: fc.integer({ min: 0, max: 2000 }),
        len: fc.integer({ min: 1, max: 48 }),
        u: fc.constantFrom('x', 'y'),
      })
      .map((o) => ({
        user: o.u,
        start: iso(BASE + o.s * HOUR),
        end: iso(BASE + (o.s + o.len) * HOUR),
        created_at: iso(BASE - o.s * 1000),
      })),
    { maxLength: 4 },
  ),
});

describe('who is on call', () => {
  it('agrees with the final schedule rendered with overflow around the instant', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 2000 * 60 }), (s, minutes) => {
        const at = iso(BASE + minutes * 60_000);
        const until = iso(BASE + minutes * 60_000 + 1000);
        const t = Date.parse(at);
        const entry =
          renderSchedule(s, at, until, { overflow: true }).final_schedule.rendered_schedule_entries.find(
            (e) => Date.parse(e.start) <= t && t < Date.parse(e.end),
          ) ?? null;
        expect(whoIsOnCall(s, at)).toEqual({ user: entry?.user ?? null, entry });
      }),
      { numRuns: 300 },
    );
  });
});
