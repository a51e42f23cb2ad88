import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startServer } from '../../src/main.js';
import { StoreLockedError } from '../../src/store/sqlite.js';
import { openStore } from '../../src/store/store.js';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';

const ADMIN = 'lifecycle-admin-token-0123';

function configFor(database: Config['database']): Config {
  return {
    ...loadConfig({ PORT: '0', HOST: '127.0.0.1', TOCSIN_ADMIN_TOKEN: ADMIN, TOCSIN_LOG_LEVEL: 'silent' }),
    database,
  };
}

for (const backend of backends()) {
  describe(`server lifecycle on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('applies migrations once when two nodes start at the same time', async () => {
      const target = backend.fresh();
      if (target.kind === 'sqlite') {
        // On SQLite the second node is refused outright: one process owns the file.
        const first = await openStore(target);
        await expect(openStore(target)).rejects.toBeInstanceOf(StoreLockedError);
        await first.close();
        return;
      }
      const [a, b] = await Promise.all([openStore(target), openStore(target)]);
      const rows = await a.db
        .selectFrom('tocsin_migrations' as never)
        .selectAll()
        .execute();
      // Each migration applied exactly once.
      expect((rows as { name: string }[]).map((r) => r.name)).toEqual([
        '001-initial',
        '002-people-and-engine',
        '003-delivery',
        '004-webhooks',
        '005-contact-verification',
        '006-accounts',
        '007-incident-extras',
        '008-maintenance-windows',
        '009-audit',
        '010-apps',
        '011-slack-routing',
      ]);
      expect(await b.migrationsCurrent()).toBe(true);
      await Promise.all([a.close(), b.close()]);
    });

    it('creates the admin and its token once, however many times it starts', async () => {
      const store = await openStore(backend.fresh());
      const now = new Date();
      const [first, second] = await Promise.all([
        bootstrapAdmin(store.db, undefined, now),
        bootstrapAdmin(store.db, undefined, now),
      ]);
      const created = [first, second].filter((x) => x !== undefined);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        generated: true,
        token: expect.stringMatching(/.{20,}/) as unknown,
      });
      expect(await bootstrapAdmin(store.db, undefined, now)).toBeUndefined();
      expect(await store.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(1);
      await store.close();
    });

    it('reports not ready while migrations are pending', async () => {
      const target = backend.fresh();
      const store = await openStore(target, { migrate: false });
      expect(await store.migrationsCurrent()).toBe(false);
      await store.close();
    });

    it('loses no accepted event when it is stopped under load', async () => {
      const target = backend.fresh();
      const setup = await openStore(target);
      const { key } = await insertServiceWithIntegration(setup);
      await setup.close();
      const server = await startServer(configFor(target));
      let sent = 0;
      let answered = 0;
      const accepted: string[] = [];
      const sender = async () => {
        for (;;) {
          const dedup = `load-${sent++}`;
          try {
            const response = await fetch(`${server.url}/v2/enqueue`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(triggerBody(key, dedup)),
            });
            answered++;
            if (response.status !== 202) return; // 503 while closing: not accepted
            accepted.push(dedup);
          } catch {
            return; // refused while closing: nothing was accepted, the sender would retry
          }
        }
      };
      const senders = Array.from({ length: 20 }, () => sender());
      while (answered < 100) await new Promise((resolve) => setTimeout(resolve, 5));
      await server.stop();
      await Promise.all(senders);
      expect(accepted.length).toBeGreaterThan(0);
      const store = await openStore(target);
      const stored = new Set(
        (await store.db.selectFrom('alerts').select('alert_key').execute()).map((r) => r.alert_key),
      );
      await store.close();
      expect(accepted.filter((k) => !stored.has(k))).toEqual([]);
    });

    it('answers health, readiness and metrics on the real server', async () => {
      const server = await startServer(configFor(backend.fresh()));
      try {
        expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
        expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
          status: 'ready',
          database: backend.name,
        });
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toContain('tocsin_open_incidents 0');
        expect(metrics).toContain('tocsin_ingest_latency_seconds');
      } finally {
        await server.stop();
      }
    });
  });
}
