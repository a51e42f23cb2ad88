import { describe, expect, it } from 'vitest';
import { renderLayer, type Layer, type Restriction } from '../../src/schedules/layer.js';
import { formatInZone } from '../../src/schedules/zoned-time.js';

function layer(restrictions: Restriction[]): Layer {
  return {
    start: '2020-01-01T00:00:00Z',
    end: null,
    rotation_virtual_start: '2020-01-06T00:00:00Z',
    rotation_turn_length_seconds: 7 * 86400,
    users: ['a'],
    restrictions,
  };
}

function windows(restriction: Restriction, zone: string, since: string, until: string): string[] {
  return renderLayer(layer([restriction]), zone, Date.parse(since), Date.parse(until)).map(
    (s) => `${formatInZone(s.start, zone)} ${formatInZone(s.end, zone)} ${(s.end - s.start) / 3_600_000}h`,
  );
}

const daily = (at: string, hours: number): Restriction => ({
  type: 'daily_restriction',
  start_time_of_day: at,
  duration_seconds: hours * 3600,
});
const weekly = (day: number, at: string, hours: number): Restriction => ({
  type: 'weekly_restriction',
  start_day_of_week: day,
  start_time_of_day: at,
  duration_seconds: hours * 3600,
});

describe('restrictions across daylight-saving changes', () => {
  it('closes a London 22:00 window after 8 wall-clock hours across fall-back (9 hours elapsed)', () => {
    expect(
      windows(daily('22:00:00', 8), 'Europe/London', '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z'),
    ).toEqual(['2026-10-24T22:00:00+01:00 2026-10-25T06:00:00+00:00 9h']);
  });

  it('closes a Lord Howe 01:00 window at 04:00 across its 30-minute spring-forward (2.5 hours elapsed)', () => {
    expect(
      windows(
        daily('01:00:00', 3),
        'Australia/Lord_Howe',
        '2026-10-04T01:30:00+10:30',
        '2026-10-04T03:00:00+11:00',
      ),
    ).toEqual(['2026-10-04T01:00:00+10:30 2026-10-04T04:00:00+11:00 2.5h']);
  });

  it('keeps a New York Saturday 23:00 window for 26 hours across midnight, the week’s end and fall-back', () => {
    expect(
      windows(
        weekly(6, '23:00:00', 26),
        'America/New_York',
        '2026-10-31T00:00:00-04:00',
        '2026-11-03T00:00:00-05:00',
      ),
    ).toEqual(['2026-10-31T23:00:00-04:00 2026-11-02T01:00:00-05:00 27h']);
  });

  it('keeps a Kolkata Sunday 22:00 window for 4 hours into Monday', () => {
    expect(
      windows(weekly(7, '22:00:00', 4), 'Asia/Kolkata', '2026-01-10T00:00:00Z', '2026-01-13T00:00:00Z'),
    ).toEqual(['2026-01-11T22:00:00+05:30 2026-01-12T02:00:00+05:30 4h']);
  });

  it('moves a New York window opening in the spring-forward gap to 03:30 and keeps its wall-clock close', () => {
    expect(
      windows(
        daily('02:30:00', 2),
        'America/New_York',
        '2026-03-08T00:00:00-05:00',
        '2026-03-08T12:00:00-04:00',
      ),
    ).toEqual(['2026-03-08T03:30:00-04:00 2026-03-08T04:30:00-04:00 1h']);
  });
});
