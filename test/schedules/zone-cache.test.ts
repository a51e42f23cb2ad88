import { describe, expect, it } from 'vitest';
import { parseDateTime, isTimeZone } from '../../src/schedules/date-time-input.js';
import {
  isoDayOfWall,
  isoDayOfWeek,
  offsetMs,
  toInstant,
  wallMs,
  wallToInstant,
} from '../../src/schedules/zoned-time.js';

/** The offset straight from Intl, without the per-hour cache. */
function intlOffset(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const s = Math.floor(ms / 1000) * 1000;
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - s;
}

describe('cached zone offsets', () => {
  it('match Intl at every minute around the New York, London, Lord Howe and Kolkata transitions', () => {
    const cases: [string, string][] = [
      ['America/New_York', '2026-03-08T06:00:00Z'],
      ['America/New_York', '2026-11-01T05:00:00Z'],
      ['Europe/London', '2026-03-29T00:00:00Z'],
      ['Europe/London', '2026-10-25T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
      ['Asia/Kolkata', '2026-01-01T00:00:00Z'],
    ];
    for (const [zone, around] of cases) {
      const from = Date.parse(around);
      for (let t = from; t < from + 3 * 3_600_000; t += 60_000 + 7_000) {
        expect(offsetMs(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(intlOffset(t, zone));
      }
    }
  });

  it('turn wall numbers into the same instants as local parts do', () => {
    const local = { year: 2026, month: 10, day: 4, hour: 2, minute: 15, second: 0 };
    expect(wallToInstant(wallMs(local), 'Australia/Lord_Howe')).toBe(toInstant(local, 'Australia/Lord_Howe'));
    const days = [0, 1, 2, 3, 4, 5, 6].map((d) => ({
      year: 2026,
      month: 1,
      day: 5 + d,
      hour: 0,
      minute: 0,
      second: 0,
    }));
    expect(days.map((d) => isoDayOfWall(wallMs(d)))).toEqual(days.map(isoDayOfWeek));
    expect(isoDayOfWall(wallMs({ year: 1969, month: 12, day: 28, hour: 0, minute: 0, second: 0 }))).toBe(7);
  });
});

describe('REST date-time input', () => {
  it('reads a date-time without an offset in the given zone, with compatible disambiguation', () => {
    expect(parseDateTime('2026-03-08T02:30:00', 'America/New_York')).toBe(
      Date.parse('2026-03-08T03:30:00-04:00'),
    );
    expect(parseDateTime('2026-07-01T09:00', 'Europe/London')).toBe(Date.parse('2026-07-01T08:00:00Z'));
    expect(parseDateTime('2026-07-01T09:00:00+05:30', 'Europe/London')).toBe(
      Date.parse('2026-07-01T03:30:00Z'),
    );
  });

  it('rejects malformed values and unknown zones', () => {
    for (const bad of ['2026-13-01T00:00:00Z', 'tomorrow', '2026-01-01', 42, null])
      expect(parseDateTime(bad, 'UTC'), String(bad)).toBeUndefined();
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
