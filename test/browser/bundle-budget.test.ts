import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, ROOT } from './browser-harness.js';

/** One chunk of Vite's build manifest. */
interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const OUT = join(ROOT, 'dist', 'web');
const BUDGET_BYTES = 300 * 1024;

function manifest(): Record<string, Chunk> {
  return JSON.parse(readFileSync(join(OUT, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
}

/** The files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(chunks: Record<string, Chunk>, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = chunks[key];
    if (!chunk) throw new Error(`no chunk ${key} in the manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const next of chunk.imports ?? []) visit(next);
  };
  keys.forEach(visit);
  return files;
}

/** The gzip size the server sends: the build's .gz beside the file, or the file gzipped now. */
function gzipBytes(file: string): number {
  const path = join(OUT, file);
  return existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`).length : gzipSync(readFileSync(path)).length;
}

describe('the JavaScript budget of the first load', () => {
  beforeAll(async () => {
    await ensureWebBuild();
  }, 300_000);

  it('loads the incidents page with under 300 KB of gzipped JavaScript', () => {
    const chunks = manifest();
    const files = closure(chunks, ['index.html', 'src/pages/incidents/incidents-page.tsx']);
    const js = [...files].filter((f) => f.endsWith('.js'));
    const total = js.reduce((sum, f) => sum + gzipBytes(f), 0);
    console.info(`incidents page first load: ${js.length} JS files, ${(total / 1024).toFixed(1)} KB gzip`);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it('keeps each area in its own chunk, loaded only when its page opens', () => {
    const chunks = manifest();
    const entry = chunks['index.html']!;
    expect(entry.dynamicImports).toEqual(
      expect.arrayContaining([
        'src/pages/incidents/incidents-page.tsx',
        'src/pages/incidents/incident-page.tsx',
        'src/pages/services/services-page.tsx',
        'src/pages/services/service-page.tsx',
      ]),
    );
    const first = closure(chunks, ['index.html']);
    expect([...first].some((f) => f.includes('service-page'))).toBe(false);
  });
});
