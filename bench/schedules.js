// Schedule math benchmark (`npm run bench:schedules`, which builds first): pure code only, no database.
//
//   (a) rendering one year of a 3-layer schedule (daily rotation; weekly rotation with a weekly
//       Friday-to-Monday restriction; 12-hour rotation with a daily 22:00-06:00 restriction) with 100
//       overrides, in America/New_York (two DST changes in the year): time per render;
//   (b) who is on call (whoIsOnCall) on 1,000 such schedules (each with its own users, virtual start
//       and 10 overrides) at one instant: total and per lookup.
//
// Settings (environment): BENCH_RENDERS (default 10), BENCH_SCHEDULES (1000), BENCH_ROUNDS (5).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { renderSchedule } from '../dist/schedules/final-schedule.js';
import { whoIsOnCall } from '../dist/schedules/on-call.js';

const renders = Number(process.env.BENCH_RENDERS || 10);
const scheduleCount = Number(process.env.BENCH_SCHEDULES || 1000);
const rounds = Number(process.env.BENCH_ROUNDS || 5);
const DAY = 86_400_000;
const since = Date.parse('2026-01-01T00:00:00Z');

/** A 3-layer schedule with `overrideCount` overrides spread over the year; `k` varies users and starts. */
function schedule(k, overrideCount) {
  const users = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${k}-${i}`);
  const vs = new Date(since + (k % 7) * 3_600_000).toISOString();
  const overrides = Array.from({ length: overrideCount }, (_, i) => {
    const start = since + Math.floor(((i + 0.37 * k) * 365 * DAY) / overrideCount) + (i % 24) * 3_600_000;
    return {
      user: `o${k}-${i % 5}`,
      start: new Date(start).toISOString(),
      end: new Date(start + (4 + (i % 30)) * 3_600_000).toISOString(),
      created_at: new Date(since - DAY + i * 1000).toISOString(),
    };
  });
  return {
    time_zone: 'America/New_York',
    layers: [
      {
        start: '2025-06-01T00:00:00Z',
        end: null,
        rotation_virtual_start: vs,
        rotation_turn_length_seconds: 86400,
        users: users('d', 5),
        restrictions: [],
      },
      {
        start: '2025-06-01T00:00:00Z',
        end: null,
        rotation_virtual_start: vs,
        rotation_turn_length_seconds: 604800,
        users: users('w', 3),
        restrictions: [
          {
            type: 'weekly_restriction',
            start_day_of_week: 5,
            start_time_of_day: '18:00:00',
            duration_seconds: 259200,
          },
        ],
      },
      {
        start: '2025-06-01T00:00:00Z',
        end: null,
        rotation_virtual_start: vs,
        rotation_turn_length_seconds: 43200,
        users: users('h', 4),
        restrictions: [{ type: 'daily_restriction', start_time_of_day: '22:00:00', duration_seconds: 28800 }],
      },
    ],
    overrides,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `schedule benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
);

const year = schedule(0, 100);
const from = new Date(since).toISOString();
const to = new Date(since + 365 * DAY).toISOString();
renderSchedule(year, from, to); // warm-up
const renderTimes = [];
let entries = 0;
for (let i = 0; i < renders; i++) {
  const t0 = performance.now();
  entries = renderSchedule(year, from, to).final_schedule.rendered_schedule_entries.length;
  renderTimes.push(performance.now() - t0);
}
console.log(
  `render one year, 3 layers + 100 overrides: median ${median(renderTimes).toFixed(1)} ms per render ` +
    `(min ${Math.min(...renderTimes).toFixed(1)}, max ${Math.max(...renderTimes).toFixed(1)}; ${renders} renders, ${entries} final entries)`,
);

const many = Array.from({ length: scheduleCount }, (_, k) => schedule(k, 10));
const totals = [];
let onCall = 0;
for (let r = 0; r <= rounds; r++) {
  const at = new Date(since + (40 + r * 17) * DAY + r * 3_723_000).toISOString();
  const t0 = performance.now();
  onCall = 0;
  for (const s of many) if (whoIsOnCall(s, at).user) onCall++;
  if (r > 0) totals.push(performance.now() - t0); // round 0 warms up
}
const total = median(totals);
console.log(
  `whoIsOnCall on ${scheduleCount} schedules: median ${total.toFixed(1)} ms total, ` +
    `${((total * 1000) / scheduleCount).toFixed(1)} µs per lookup (${rounds} rounds; ${onCall} with someone on call)`,
);
