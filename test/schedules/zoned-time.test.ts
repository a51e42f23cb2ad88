import { describe, expect, it } from 'vitest';
import { formatInZone, toInstant, toLocal } from '../../src/schedules/zoned-time.js';

const at = (zone: string, y: number, mo: number, d: number, h: number, mi = 0) =>
  formatInZone(toInstant({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0 }, zone), zone);

describe('zoned time', () => {
  it('moves 02:30 on the New York spring-forward day to 03:30', () => {
    expect(at('America/New_York', 2026, 3, 8, 2, 30)).toBe('2026-03-08T03:30:00-04:00');
  });
  it('maps 01:30 on the New York fall-back day to its first occurrence', () => {
    expect(at('America/New_York', 2026, 11, 1, 1, 30)).toBe('2026-11-01T01:30:00-04:00');
  });
  it('moves 01:30 on the London spring-forward day to 02:30', () => {
    expect(at('Europe/London', 2026, 3, 29, 1, 30)).toBe('2026-03-29T02:30:00+01:00');
  });
  it('maps 01:30 on the London fall-back day to its first occurrence', () => {
    expect(at('Europe/London', 2026, 10, 25, 1, 30)).toBe('2026-10-25T01:30:00+01:00');
  });
  it('moves 02:15 in the 30-minute Lord Howe gap forward by 30 minutes', () => {
    expect(at('Australia/Lord_Howe', 2026, 10, 4, 2, 15)).toBe('2026-10-04T02:45:00+11:00');
  });
  it('maps 01:45 on the Lord Howe fall-back day to its first occurrence', () => {
    expect(at('Australia/Lord_Howe', 2026, 4, 5, 1, 45)).toBe('2026-04-05T01:45:00+11:00');
  });
  it('converts Kolkata times with a fixed half-hour offset', () => {
    expect(at('Asia/Kolkata', 2026, 3, 8, 2, 30)).toBe('2026-03-08T02:30:00+05:30');
  });
  it('round-trips an instant to local parts', () => {
    expect(toLocal(Date.parse('2026-07-01T12:00:00Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 8,
      minute: 0,
      second: 0,
    });
  });
});
