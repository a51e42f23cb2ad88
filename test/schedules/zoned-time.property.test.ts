import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toInstant, toLocal, wallMs } from '../../src/schedules/zoned-time.js';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 })
  .map((s) => s * 1000);

describe('zoned time, for random instants', () => {
  it('maps the local time of an instant back to that instant or an earlier occurrence of it', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const back = toInstant(toLocal(t, zone), zone);
        expect(back).toBeLessThanOrEqual(t);
        expect(toLocal(back, zone)).toEqual(toLocal(t, zone));
      }),
      { numRuns: 300 },
    );
  });

  it('never moves a local time backwards and moves it forward by at most an hour', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 86399 }), (t, zone, s) => {
        const day = { ...toLocal(t, zone), hour: 0, minute: 0, second: 0 };
        const local = { ...day, hour: Math.floor(s / 3600), minute: Math.floor(s / 60) % 60, second: s % 60 };
        const shift = wallMs(toLocal(toInstant(local, zone), zone)) - wallMs(local);
        expect(shift).toBeGreaterThanOrEqual(0);
        expect(shift).toBeLessThanOrEqual(3_600_000);
      }),
      { numRuns: 300 },
    );
  });
});
