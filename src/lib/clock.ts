/** A source of the current time; injected everywhere so tests can fast-forward instead of sleeping. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by the given milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the current instant. */
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}

/** Formats an instant the way Tocsin stores and returns it: ISO-8601 UTC with milliseconds. */
export function iso(date: Date): string {
  return date.toISOString();
}
