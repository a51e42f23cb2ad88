import type { Clock } from '../lib/clock.js';

interface Window {
  start: number;
  current: number;
  previous: number;
}

/**
 * Per-key limit over a sliding 60-second window, estimated from this minute's and the last minute's
 * counts (the sliding-window-counter method: constant memory per key). `limit` 0 turns it off.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one event for `key`; returns 0 when allowed, otherwise the seconds to wait before retrying. */
  take(key: string): number {
    if (this.limit <= 0) return 0;
    const now = this.clock.now().getTime();
    const start = now - (now % this.windowMs);
    let w = this.windows.get(key);
    if (!w) {
      w = { start, current: 0, previous: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.forgetIdle(start);
    } else if (w.start !== start) {
      w.previous = start - w.start === this.windowMs ? w.current : 0;
      w.current = 0;
      w.start = start;
    }
    const weight = 1 - (now - start) / this.windowMs;
    const estimate = w.previous * weight + w.current;
    if (estimate + 1 > this.limit) {
      // The estimate falls as the previous minute's share decays; at the latest the next window opens.
      return Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
    }
    w.current++;
    return 0;
  }

  private forgetIdle(start: number): void {
    for (const [key, w] of this.windows) if (w.start < start - this.windowMs) this.windows.delete(key);
  }
}
