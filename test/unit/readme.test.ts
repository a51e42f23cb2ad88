import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingDocs } from '../../src/config/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has a two-line quick start: one to start, one to test', () => {
    const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it('documents every setting the server reads', () => {
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    for (const setting of settingDocs) {
      expect(rows).toContainEqual([`\`${setting.env}\``, setting.default, setting.description]);
    }
  });
});
