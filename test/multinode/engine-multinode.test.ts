import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp-fake.js';
import { backends } from '../harness/backends.js';
import { seedDueEscalations, seedEscalationSetup } from './engine-seed.js';
import { startNode, stopNode, urlWithSchema, type NodeProcess } from './node-process.js';

const INCIDENTS = 200;
const ADMIN = 'multinode-admin-token-0123';

// backends.ts already refuses to run under TOCSIN_CI=1 without TOCSIN_TEST_PG_URL.
const postgres = backends().find((b) => b.name === 'postgres');
if (!postgres)
  console.warn('[tocsin tests] multinode engine test skipped: it needs PostgreSQL (set TOCSIN_TEST_PG_URL)');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  explain: () => Promise<string> = async () => '',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${await explain()}`);
    await sleep(100);
  }
}

const count = async (store: Store, query: string) =>
  Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(store.db)).rows[0]?.n ?? 0);

describe.skipIf(!postgres)('the engine on three nodes sharing one PostgreSQL', () => {
  const nodes: NodeProcess[] = [];
  let smtp: SmtpFake | undefined;
  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopNode(n, 'SIGKILL')));
    await smtp?.stop();
    await postgres?.cleanup();
  });

  it('runs every due escalation exactly once although one node is killed midway', async () => {
    const target = postgres!.fresh();
    if (target.kind !== 'postgres' || !target.schema) throw new Error('expected a PostgreSQL schema');
    const store = await openStore(target, { pgPoolSize: 4 }); // creates the schema and migrates it
    try {
      const setup = await seedEscalationSetup(store);
      // Email goes over real SMTP to a local server, so what reached it can be counted by Message-ID.
      smtp = await startSmtpFake();
      const env = {
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        TOCSIN_DATABASE_URL: urlWithSchema(target.url, target.schema),
        TOCSIN_ADMIN_TOKEN: ADMIN,
        TOCSIN_ENGINE_POLL_MS: '100',
        TOCSIN_DELIVERY_LEASE_SECONDS: '5',
        TOCSIN_PG_POOL_SIZE: '4',
      };
      nodes.push(...(await Promise.all(['node-1', 'node-2', 'node-3'].map((name) => startNode(name, env)))));

      // Escalations fall due over ~6 s of real time starting 1 s from now, while all three nodes poll.
      const start = Date.now() + 1000;
      const { incidentIds } = await seedDueEscalations(
        store,
        setup,
        INCIDENTS,
        (i) => new Date(start + Math.floor((i * 6000) / INCIDENTS)),
      );

      // Kill a node once some, not all, escalations have been delivered to user B.
      const delivered = () =>
        count(store, `SELECT count(*) AS n FROM notifications WHERE status = 'delivered'`);
      await until(
        'a third of the escalations to be delivered',
        async () => (await delivered()) >= 120,
        20_000,
      );
      const victim = nodes[0]!;
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      const atKill = await delivered();
      expect(atKill).toBeLessThan(INCIDENTS * 2);

      // The survivors finish the work: once the last escalation is due, no due timer is left (level 2's
      // escalations are a minute away).
      const lastDue = start + 6000;
      await until(
        'every due timer to run',
        async () =>
          Date.now() > lastDue &&
          (await count(
            store,
            `SELECT count(*) AS n FROM timers WHERE due_at <= '${new Date().toISOString()}'`,
          )) === 0 &&
          // …and every queued notification sent (one the killed node had claimed waits out its lease).
          (await count(store, `SELECT count(*) AS n FROM notifications WHERE status = 'queued'`)) === 0,
        60_000,
        async () =>
          `smtp=${smtp?.messages.length} ` +
          JSON.stringify(
            (
              await sql<{
                status: string;
                n: number;
              }>`SELECT n.status, c.type, count(*) AS n FROM notifications n JOIN contact_methods c ON c.id = n.contact_method_id GROUP BY n.status, c.type`.execute(
                store.db,
              )
            ).rows,
          ) +
          nodes
            .map((n) =>
              n
                .output()
                .split('\n')
                .filter((l) => l.includes('"level":4'))
                .slice(0, 3)
                .join('\n'),
            )
            .join('\n'),
      );
      for (const node of nodes.slice(1)) expect(await stopNode(node, 'SIGTERM')).toBe(0);

      const notifications = await store.db
        .selectFrom('notifications')
        .select(['incident_id', 'user_id', 'contact_method_id', 'reason', 'status'])
        .execute();
      const keys = notifications.map((n) =>
        [n.incident_id, n.user_id, n.contact_method_id, n.reason, n.status].join('|'),
      );
      const expected = incidentIds.flatMap((id) =>
        setup.contactMethodsB.map((cm) => [id, setup.userB, cm, 'escalated', 'delivered'].join('|')),
      );
      // Exactly the expected records: none missing, none twice, none extra.
      expect(keys.sort()).toEqual(expected.sort());

      const incidents = await store.db
        .selectFrom('incidents')
        .select(['escalation_level', 'assignment_seq', 'status'])
        .execute();
      expect(incidents).toHaveLength(INCIDENTS);
      expect(incidents.every((i) => i.escalation_level === 2 && Number(i.assignment_seq) === 2)).toBe(true);

      const logs = await store.db
        .selectFrom('log_entries')
        .select(['incident_id', 'type'])
        .where('type', 'in', ['escalate_log_entry', 'notify_log_entry'])
        .execute();
      const escalations = logs.filter((l) => l.type === 'escalate_log_entry').map((l) => l.incident_id);
      expect(escalations.sort()).toEqual([...incidentIds].sort());
      expect(logs.filter((l) => l.type === 'notify_log_entry')).toHaveLength(INCIDENTS * 2);

      // Each incident waits on exactly one level-2 escalation (seq 2), a minute out (the handoff planner's
      // own timer, of no incident, may sit beside them).
      const left = await store.db
        .selectFrom('timers')
        .select(['incident_id', 'kind', 'payload'])
        .where('incident_id', 'is not', null)
        .execute();
      expect(left.map((t) => `${t.kind}:${t.payload}`)).toEqual(
        Array.from({ length: INCIDENTS }, () => 'escalate:{"seq":2}'),
      );
      expect(new Set(left.map((t) => t.incident_id)).size).toBe(INCIDENTS);

      // Every email record reached the mail server. A repeat is possible only for a message the killed
      // node had handed to SMTP but not yet recorded (the one window no system can close): at most the
      // batch it held, and the repeat carries the same Message-ID.
      const emails = await store.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', setup.userB)
        .where('contact_method_id', 'in', (eb) =>
          eb.selectFrom('contact_methods').select('id').where('type', '=', 'email_contact_method'),
        )
        .execute();
      const received = new Map<string, number>();
      for (const m of smtp.messages)
        received.set(m.messageId ?? '', (received.get(m.messageId ?? '') ?? 0) + 1);
      expect(emails.every((e) => (received.get(`<${e.id}@tocsin>`) ?? 0) >= 1)).toBe(true);
      const repeats = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
      console.info(
        `[multinode] ${smtp.messages.length} emails for ${emails.length} records; ${repeats} repeated`,
      );
      expect(repeats).toBeLessThanOrEqual(20);
      expect(received.size).toBe(emails.length);

      // Second line of defence: a notification record's dedup key is unique in the database itself.
      const unique = await sql<{ indexdef: string }>`
        SELECT indexdef FROM pg_indexes
        WHERE schemaname = ${target.schema} AND tablename = 'notifications'
          AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexdef LIKE '%(dedup_key)%'`.execute(store.db);
      expect(unique.rows).toHaveLength(1);

      const failures =
        nodes
          .map((n) => n.output())
          .join('\n')
          .match(/"level":50[^\n]*/g) ?? [];
      expect(failures).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
