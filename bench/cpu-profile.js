// CPU profiling of the server side of bench/ingest.js (node:inspector, this process only): records a
// .cpuprofile over the measured window and summarizes where the self time went.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts the V8 sampling profiler in this process; the returned function stops it and returns the profile. */
export async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

/** Which part of the stack a frame belongs to, from its script URL. */
function bucketOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/other)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  const own = /\/dist\/([^/]+)\//.exec(url);
  if (own) return `tocsin/${own[1]}`;
  if (url.startsWith('node:'))
    return url
      .replace(/^node:internal\//, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

/** Writes the profile to `file` and returns the top functions and buckets by self time (ms and %). */
export function summarizeProfile(profile, file, top = 15) {
  writeFileSync(file, JSON.stringify(profile));
  const selfMicros = new Map(profile.nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map();
  const buckets = new Map();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const name =
      `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const bucket = bucketOf(url, functionName || '(anonymous)');
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, percent: (100 * micros) / total }));
  return { totalMs: total / 1000, functions: rank(functions), buckets: rank(buckets) };
}
