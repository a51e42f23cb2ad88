import { describe, expect, it } from 'vitest';
import { renderLayer } from '../../src/schedules/layer.js';
import type { Layer, Restriction } from '../../src/schedules/layer.js';
import { formatInZone } from '../../src/schedules/zoned-time.js';

function layer(vs: string, turn: number, users: string[], restrictions: Restriction[] = []): Layer {
  return {
    start: '2020-01-01T00:00:00Z',
    end: null,
    rotation_virtual_start: vs,
    rotation_turn_length_seconds: turn,
    users,
    restrictions,
  };
}

function render(l: Layer, zone: string, since: string, until: string): string[] {
  return renderLayer(l, zone, Date.parse(since), Date.parse(until)).map(
    (s) => `${s.user} ${formatInZone(s.start, zone)} ${formatInZone(s.end, zone)}`,
  );
}

describe('a daily rotation', () => {
  it('hands off at 09:00 New York time across spring-forward with a 23-hour turn', () => {
    const l = layer('2026-03-01T09:00:00-05:00', 86400, ['a', 'b']);
    expect(render(l, 'America/New_York', '2026-03-07T12:00:00-05:00', '2026-03-09T12:00:00-04:00')).toEqual([
      'a 2026-03-07T09:00:00-05:00 2026-03-08T09:00:00-04:00',
      'b 2026-03-08T09:00:00-04:00 2026-03-09T09:00:00-04:00',
      'a 2026-03-09T09:00:00-04:00 2026-03-10T09:00:00-04:00',
    ]);
  });
  it('hands off at 09:00 New York time across fall-back with a 25-hour turn', () => {
    const l = layer('2026-10-01T09:00:00-04:00', 86400, ['a', 'b']);
    const out = render(l, 'America/New_York', '2026-10-31T12:00:00-04:00', '2026-11-01T12:00:00-05:00');
    expect(out).toEqual([
      'a 2026-10-31T09:00:00-04:00 2026-11-01T09:00:00-05:00',
      'b 2026-11-01T09:00:00-05:00 2026-11-02T09:00:00-05:00',
    ]);
  });
  it('hands off at 09:00 London time on both sides of spring-forward', () => {
    const l = layer('2026-03-01T09:00:00Z', 86400, ['a', 'b']);
    expect(render(l, 'Europe/London', '2026-03-28T12:00:00Z', '2026-03-29T12:00:00+01:00')).toEqual([
      'b 2026-03-28T09:00:00+00:00 2026-03-29T09:00:00+01:00',
      'a 2026-03-29T09:00:00+01:00 2026-03-30T09:00:00+01:00',
    ]);
  });
  it('hands off at 09:00 Lord Howe time across its 30-minute fall-back', () => {
    const l = layer('2026-04-01T09:00:00+11:00', 86400, ['a', 'b']);
    const out = render(l, 'Australia/Lord_Howe', '2026-04-04T12:00:00+11:00', '2026-04-05T12:00:00+10:30');
    expect(out).toEqual([
      'b 2026-04-04T09:00:00+11:00 2026-04-05T09:00:00+10:30',
      'a 2026-04-05T09:00:00+10:30 2026-04-06T09:00:00+10:30',
    ]);
  });
  it('hands off at 09:00 Kolkata time every 24 hours', () => {
    const l = layer('2026-03-01T09:00:00+05:30', 86400, ['a', 'b']);
    expect(render(l, 'Asia/Kolkata', '2026-03-08T10:00:00+05:30', '2026-03-08T11:00:00+05:30')).toEqual([
      'b 2026-03-08T09:00:00+05:30 2026-03-09T09:00:00+05:30',
    ]);
  });
  it('picks the right user before the virtual start', () => {
    const l = layer('2026-03-10T09:00:00-04:00', 86400, ['a', 'b', 'c']);
    expect(render(l, 'America/New_York', '2026-03-09T10:00:00-04:00', '2026-03-09T11:00:00-04:00')).toEqual([
      'c 2026-03-09T09:00:00-04:00 2026-03-10T09:00:00-04:00',
    ]);
  });
});

describe('a 12-hour rotation', () => {
  it('counts elapsed seconds across New York spring-forward so hand-offs shift on the wall clock', () => {
    const l = layer('2026-03-07T09:00:00-05:00', 43200, ['a', 'b']);
    expect(render(l, 'America/New_York', '2026-03-08T10:00:00-04:00', '2026-03-08T11:00:00-04:00')).toEqual([
      'a 2026-03-08T10:00:00-04:00 2026-03-08T22:00:00-04:00',
    ]);
  });
});

describe('restrictions', () => {
  it('keeps a daily 22:00 window for 8 hours that crosses midnight', () => {
    const r: Restriction = {
      type: 'daily_restriction',
      start_time_of_day: '22:00:00',
      duration_seconds: 28800,
    };
    const l = layer('2026-01-01T00:00:00Z', 7 * 86400, ['a'], [r]);
    expect(render(l, 'Europe/London', '2026-01-06T00:00:00Z', '2026-01-07T12:00:00Z')).toEqual([
      'a 2026-01-05T22:00:00+00:00 2026-01-06T06:00:00+00:00',
      'a 2026-01-06T22:00:00+00:00 2026-01-07T06:00:00+00:00',
    ]);
  });
  it('counts a daily window on the wall clock across spring-forward (7 hours elapsed)', () => {
    const r: Restriction = {
      type: 'daily_restriction',
      start_time_of_day: '22:00:00',
      duration_seconds: 28800,
    };
    const l = layer('2026-03-01T00:00:00-05:00', 7 * 86400, ['a'], [r]);
    expect(render(l, 'America/New_York', '2026-03-07T23:00:00-05:00', '2026-03-08T05:00:00-04:00')).toEqual([
      'a 2026-03-07T22:00:00-05:00 2026-03-08T06:00:00-04:00',
    ]);
  });
  it('keeps a weekly window from Friday 18:00 for 3 days into Monday', () => {
    const r: Restriction = {
      type: 'weekly_restriction',
      start_time_of_day: '18:00:00',
      duration_seconds: 3 * 86400,
      start_day_of_week: 5,
    };
    const l = layer('2026-01-05T09:00:00+05:30', 86400, ['a', 'b'], [r]);
    expect(render(l, 'Asia/Kolkata', '2026-01-09T00:00:00+05:30', '2026-01-13T00:00:00+05:30')).toEqual([
      'a 2026-01-09T18:00:00+05:30 2026-01-10T09:00:00+05:30',
      'b 2026-01-10T09:00:00+05:30 2026-01-11T09:00:00+05:30',
      'a 2026-01-11T09:00:00+05:30 2026-01-12T09:00:00+05:30',
      'b 2026-01-12T09:00:00+05:30 2026-01-12T18:00:00+05:30',
    ]);
  });
  it('has nobody outside the layer start and end', () => {
    const l = {
      ...layer('2026-01-01T00:00:00Z', 86400, ['a']),
      start: '2026-01-02T06:00:00Z',
      end: '2026-01-02T18:00:00Z',
    };
    expect(render(l, 'Europe/London', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z')).toEqual([
      'a 2026-01-02T06:00:00+00:00 2026-01-02T18:00:00+00:00',
    ]);
  });
});

describe('layer validation', () => {
  it('rejects a turn length that is not a positive whole number of seconds', () => {
    const l = layer('2026-01-01T00:00:00Z', 0, ['a']);
    expect(() => render(l, 'Europe/London', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z')).toThrow(
      /rotation_turn_length_seconds/,
    );
  });
});
