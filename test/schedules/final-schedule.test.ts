import { describe, expect, it } from 'vitest';
import { renderSchedule } from '../../src/schedules/final-schedule.js';
import type { ScheduleDefinition } from '../../src/schedules/final-schedule.js';
import type { Layer } from '../../src/schedules/layer.js';
import { whoIsOnCall } from '../../src/schedules/on-call.js';

const day = (users: string[], extra: Partial<Layer> = {}): Layer => ({
  start: '2026-01-01T00:00:00Z',
  end: null,
  rotation_virtual_start: '2026-01-01T00:00:00Z',
  rotation_turn_length_seconds: 86400,
  users,
  restrictions: [],
  ...extra,
});

const entries = (s: { rendered_schedule_entries: { user: string; start: string; end: string }[] }) =>
  s.rendered_schedule_entries.map((e) => `${e.user} ${e.start} ${e.end}`);

describe('the final schedule', () => {
  const since = '2026-01-05T00:00:00Z';
  const until = '2026-01-06T00:00:00Z';

  it('lets an override win over every layer', () => {
    const sched: ScheduleDefinition = {
      time_zone: 'Europe/London',
      layers: [day(['a'])],
      overrides: [
        {
          user: 'o',
          start: '2026-01-05T10:00:00Z',
          end: '2026-01-05T12:00:00Z',
          created_at: '2026-01-01T00:00:00Z',
        },
      ],
    };
    expect(entries(renderSchedule(sched, since, until).final_schedule)).toEqual([
      'a 2026-01-05T00:00:00+00:00 2026-01-05T10:00:00+00:00',
      'o 2026-01-05T10:00:00+00:00 2026-01-05T12:00:00+00:00',
      'a 2026-01-05T12:00:00+00:00 2026-01-06T00:00:00+00:00',
    ]);
  });

  it('lets the newest of two overlapping overrides win', () => {
    const sched: ScheduleDefinition = {
      time_zone: 'Europe/London',
      layers: [],
      overrides: [
        {
          user: 'new',
          start: '2026-01-05T11:00:00Z',
          end: '2026-01-05T13:00:00Z',
          created_at: '2026-01-03T00:00:00Z',
        },
        {
          user: 'old',
          start: '2026-01-05T10:00:00Z',
          end: '2026-01-05T12:00:00Z',
          created_at: '2026-01-02T00:00:00Z',
        },
      ],
    };
    const r = renderSchedule(sched, since, until);
    expect(entries(r.final_schedule)).toEqual([
      'old 2026-01-05T10:00:00+00:00 2026-01-05T11:00:00+00:00',
      'new 2026-01-05T11:00:00+00:00 2026-01-05T13:00:00+00:00',
    ]);
    expect(r.gaps).toEqual([
      { start: '2026-01-05T00:00:00+00:00', end: '2026-01-05T10:00:00+00:00' },
      { start: '2026-01-05T13:00:00+00:00', end: '2026-01-06T00:00:00+00:00' },
    ]);
    expect(r.final_schedule.rendered_coverage_percentage).toBe(12.5);
  });

  it('shows the earlier layer through a gap of a later layer', () => {
    const night = day(['n'], {
      restrictions: [
        { type: 'daily_restriction', start_time_of_day: '20:00:00', duration_seconds: 12 * 3600 },
      ],
    });
    const sched: ScheduleDefinition = {
      time_zone: 'Europe/London',
      layers: [day(['a']), night],
      overrides: [],
    };
    const r = renderSchedule(sched, since, until);
    expect(entries(r.final_schedule)).toEqual([
      'n 2026-01-05T00:00:00+00:00 2026-01-05T08:00:00+00:00',
      'a 2026-01-05T08:00:00+00:00 2026-01-05T20:00:00+00:00',
      'n 2026-01-05T20:00:00+00:00 2026-01-06T00:00:00+00:00',
    ]);
    expect(r.layers[1]?.rendered_coverage_percentage).toBe(50);
    expect(r.final_schedule.rendered_coverage_percentage).toBe(100);
    expect(r.gaps).toEqual([]);
  });

  it('rounds the coverage percentage to two decimals', () => {
    const sched: ScheduleDefinition = {
      time_zone: 'Asia/Kolkata',
      layers: [day(['a'], { start: '2026-01-05T08:00:00Z' })],
      overrides: [],
    };
    expect(
      renderSchedule(sched, since, '2026-01-08T00:00:00Z').final_schedule.rendered_coverage_percentage,
    ).toBe(88.89);
  });

  it('clips entries to the window without overflow and keeps their full extent with it', () => {
    const sched: ScheduleDefinition = {
      time_zone: 'America/New_York',
      layers: [day(['a', 'b'])],
      overrides: [],
    };
    const w = ['2026-01-05T12:00:00Z', '2026-01-05T13:00:00Z'] as const;
    expect(entries(renderSchedule(sched, ...w).final_schedule)).toEqual([
      'a 2026-01-05T07:00:00-05:00 2026-01-05T08:00:00-05:00',
    ]);
    expect(entries(renderSchedule(sched, ...w, { overflow: true }).final_schedule)).toEqual([
      'a 2026-01-04T19:00:00-05:00 2026-01-05T19:00:00-05:00',
    ]);
  });
});

describe('who is on call', () => {
  it('returns the user and the entry containing the instant', () => {
    const sched: ScheduleDefinition = {
      time_zone: 'Europe/London',
      layers: [day(['a', 'b'])],
      overrides: [],
    };
    expect(whoIsOnCall(sched, '2026-01-02T05:00:00Z')).toEqual({
      user: 'b',
      entry: { user: 'b', start: '2026-01-02T00:00:00+00:00', end: '2026-01-03T00:00:00+00:00' },
    });
  });
  it('returns null when nobody is on call', () => {
    const sched: ScheduleDefinition = { time_zone: 'Europe/London', layers: [], overrides: [] };
    expect(whoIsOnCall(sched, '2026-01-02T05:00:00Z')).toEqual({ user: null, entry: null });
  });
});
