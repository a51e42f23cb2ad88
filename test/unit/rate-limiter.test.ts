import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../src/events/rate-limiter.js';
import { ManualClock } from '../../src/lib/clock.js';

describe('sliding window rate limiter', () => {
  it('allows everything when the limit is 0 (off)', () => {
    const limiter = new SlidingWindowLimiter(0, new ManualClock());
    for (let i = 0; i < 1000; i++) expect(limiter.take('k')).toBe(0);
  });

  it('refuses the event over the limit with a wait in seconds, per key', () => {
    const clock = new ManualClock('2026-01-01T00:00:10Z');
    const limiter = new SlidingWindowLimiter(3, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    const wait = limiter.take('a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(limiter.take('b')).toBe(0);
  });

  it('counts the previous minute in proportion to how much of it is still inside the window', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const limiter = new SlidingWindowLimiter(10, clock);
    for (let i = 0; i < 10; i++) limiter.take('k');
    clock.advance(60_000 + 30_000); // half of the previous minute still counts: ~5 events
    let allowed = 0;
    while (limiter.take('k') === 0) allowed++;
    expect(allowed).toBe(5);
    clock.advance(120_000);
    expect(limiter.take('k')).toBe(0);
  });
});
