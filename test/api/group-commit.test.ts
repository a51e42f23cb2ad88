import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../harness/backends.js';
import { insertServiceWithIntegration, triggerBody } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

for (const backend of backends()) {
  describe(`group commit on ${backend.name}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(backend.fresh());
    });
    afterAll(async () => {
      await t.close();
      await backend.cleanup();
    });

    it('shares commits among concurrent events and answers each after its commit', async () => {
      const { key } = await insertServiceWithIntegration(t.store);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => t.send(triggerBody(key, `gc-${i}`))),
      );
      expect(responses.every((r) => r.statusCode === 202)).toBe(true);
      const stored = await t.store.db
        .selectFrom('alerts')
        .select('alert_key')
        .where('alert_key', 'like', 'gc-%')
        .execute();
      expect(stored).toHaveLength(100);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const transactions = metric(metrics, 'tocsin_ingest_batch_events_count');
      expect(metric(metrics, 'tocsin_ingest_batch_events_sum')).toBe(100);
      expect(transactions).toBeLessThan(100);
      expect(metrics).toContain(
        'tocsin_events_accepted_total{format="events_v2",result="incident_created"} 100',
      );
    });
  });
}
