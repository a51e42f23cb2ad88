/** Half-open time intervals over epoch milliseconds, shared by the schedule math. */

/** A half-open span [start, end) in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/** A span held by one user. */
export interface UserSpan extends Span {
  user: string;
}

/** Sorts spans and merges those that overlap or touch into a disjoint union. */
export function unionSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Intersects two sorted, disjoint span lists. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** Sorts user spans and merges the same user's spans that touch or overlap. */
export function mergeUserSpans(spans: readonly UserSpan[]): UserSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: UserSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.user === s.user && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Clips user spans to [from, to), dropping the empty ones. */
export function clipUserSpans(spans: readonly UserSpan[], from: number, to: number): UserSpan[] {
  return spans
    .map((s) => ({ user: s.user, start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .filter((s) => s.end > s.start);
}

/** Percentage (2 decimals) of [from, to) covered by disjoint spans. */
export function coveragePercentage(spans: readonly Span[], from: number, to: number): number {
  if (to <= from) return 0;
  let covered = 0;
  for (const s of spans) covered += Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
  return Math.round((covered / (to - from)) * 10_000) / 100;
}
