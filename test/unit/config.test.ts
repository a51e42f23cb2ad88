import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config/config.js';

describe('configuration', () => {
  it('defaults to port 8080 and an embedded SQLite file under ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.database).toMatchObject({ kind: 'sqlite' });
    expect(config.database.kind === 'sqlite' && config.database.file.endsWith('/data/tocsin.db')).toBe(true);
    expect(config.baseUrl).toBe('http://localhost:8080');
    expect(config.eventsRateLimit).toBe(0);
  });

  it('selects PostgreSQL for postgres:// URLs and SQLite for sqlite: URLs and paths', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/tocsin.db')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/tocsin.db',
    });
    expect(parseDatabaseUrl('/tmp/x.db')).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
  });

  it('reports every invalid setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        TOCSIN_BASE_URL: 'ftp://x',
        TOCSIN_ADMIN_TOKEN: 'short',
        TOCSIN_LOG_LEVEL: 'loud',
        TOCSIN_DATABASE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(5);
  });
});
