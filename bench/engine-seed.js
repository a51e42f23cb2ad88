// Helpers of the engine benchmark (bench/engine.js): a raw SQL connection to a Tocsin database that does
// not take the store's process lock (so it can seed a SQLite file a running server owns), the escalation
// setup (level 1 user A, level 2 user B, 1 minute apart; B has two immediate high-urgency rules), and
// incidents assigned at level 1 whose `escalate` timers fall due when the benchmark says.
import Database from 'better-sqlite3';
import pg from 'pg';
import { longId, shortId } from '../dist/lib/ids.js';

/** A raw connection: `run(sql, params)` and `all(sql, params)` with `?` placeholders on both dialects. */
export async function connect(target) {
  if (target.kind === 'sqlite') {
    const db = new Database(target.file, { timeout: 10_000 });
    db.pragma('journal_mode = WAL');
    return {
      run: async (text, params = []) => void db.prepare(text).run(...params),
      all: async (text, params = []) => db.prepare(text).all(...params),
      tx: async (work) => {
        db.exec('BEGIN IMMEDIATE');
        try {
          await work();
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      },
      close: async () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
  await client.connect();
  const numbered = (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  const conn = {
    run: async (text, params = []) => void (await client.query(numbered(text), params)),
    all: async (text, params = []) => (await client.query(numbered(text), params)).rows,
    tx: async (work) => {
      await client.query('BEGIN');
      try {
        await work();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: () => client.end(),
  };
  return conn;
}

const at = '2026-01-01T00:00:00.000Z';

async function insertRows(conn, table, rows) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const marks = `(${columns.map(() => '?').join(', ')})`;
  await conn.run(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => marks).join(', ')}`,
    rows.flatMap((r) => columns.map((c) => r[c])),
  );
}

async function insertUser(conn, name, rules) {
  const id = shortId();
  const email = `${name.toLowerCase()}.${id.toLowerCase()}@example.com`;
  await insertRows(conn, 'users', [
    {
      id,
      name,
      email,
      role: 'responder',
      time_zone: 'UTC',
      password_hash: null,
      job_title: null,
      color: null,
      description: null,
      ical_token: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    },
  ]);
  const cms = { email: shortId(), sms: shortId() };
  await insertRows(
    conn,
    'contact_methods',
    [
      {
        id: cms.email,
        user_id: id,
        type: 'email_contact_method',
        label: 'Work',
        address: email,
        details: '{}',
      },
      {
        id: cms.sms,
        user_id: id,
        type: 'sms_contact_method',
        label: 'Work',
        address: '5550100',
        details: '{"country_code":1}',
      },
    ].map((c) => ({ ...c, enabled: 1, created_at: at, updated_at: at, deleted_at: null })),
  );
  await insertRows(
    conn,
    'notification_rules',
    rules.map((type) => ({
      id: shortId(),
      user_id: id,
      urgency: 'high',
      start_delay_in_minutes: 0,
      contact_method_id: cms[type],
      created_at: at,
      updated_at: at,
    })),
  );
  return id;
}

/** The service, its two-level policy and users: returns `{ serviceId, policyId, userA, userB }`. */
export async function seedSetup(conn) {
  const userA = await insertUser(conn, 'Alice', ['email']);
  const userB = await insertUser(conn, 'Bob', ['email', 'sms']);
  const policyId = shortId();
  const level = (user) => ({
    id: shortId(),
    escalation_delay_in_minutes: 1,
    targets: [{ type: 'user_reference', id: user }],
  });
  await insertRows(conn, 'escalation_policies', [
    {
      id: policyId,
      name: 'Bench policy',
      description: null,
      num_loops: 0,
      on_call_handoff_notifications: 'if_has_services',
      team_id: null,
      rules: JSON.stringify([level(userA), level(userB)]),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    },
  ]);
  const serviceId = shortId();
  await insertRows(conn, 'services', [
    {
      id: serviceId,
      name: 'Bench service',
      description: null,
      status: 'active',
      escalation_policy_id: policyId,
      alert_creation: 'create_alerts_and_incidents',
      acknowledgement_timeout: null,
      auto_resolve_timeout: null,
      incident_urgency_rule: JSON.stringify({ type: 'constant', urgency: 'high' }),
      support_hours: null,
      alert_grouping_parameters: JSON.stringify({ type: null, config: null }),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    },
  ]);
  return { serviceId, policyId, userA, userB };
}

/**
 * Inserts `count` triggered incidents assigned at level 1 (assignment 1) with an `escalate` timer (seq 1)
 * due at `dueAt(i)` (ms since the epoch), numbered from `firstNumber`; returns incident id -> due ISO time.
 */
export async function seedEscalations(conn, setup, count, dueAt, firstNumber = 1) {
  const now = new Date().toISOString();
  const due = new Map();
  await conn.tx(async () => {
    for (let start = 0; start < count; start += 200) {
      const slice = Array.from({ length: Math.min(200, count - start) }, (_, k) => start + k);
      const incidents = slice.map((i) => ({
        id: longId(),
        incident_number: firstNumber + i,
        title: `Bench ${firstNumber + i}`,
        service_id: setup.serviceId,
        status: 'triggered',
        urgency: 'high',
        incident_key: `bench-${firstNumber + i}`,
        escalation_policy_id: setup.policyId,
        alerts_triggered: 1,
        alerts_resolved: 0,
        acknowledgements: '[]',
        last_status_change_at: now,
        last_status_change_by: null,
        resolve_reason: null,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        escalation_level: 1,
        escalation_loops: 0,
        assigned_via: 'escalation_policy',
        assignment_seq: 1,
      }));
      await insertRows(conn, 'incidents', incidents);
      await insertRows(
        conn,
        'incident_assignments',
        incidents.map((i) => ({ incident_id: i.id, user_id: setup.userA, assigned_at: now })),
      );
      const timers = slice.map((i, k) => ({
        id: longId(),
        kind: 'escalate',
        incident_id: incidents[k].id,
        due_at: new Date(dueAt(i)).toISOString(),
        payload: '{"seq":1}',
        attempts: 0,
        dedup_key: null,
        created_at: now,
      }));
      await insertRows(conn, 'timers', timers);
      for (const t of timers) due.set(t.incident_id, t.due_at);
    }
  });
  return due;
}
