import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Reference } from '../../api/types.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

interface AuditRecord {
  id: string;
  execution_time: string;
  actors: Reference[];
  method: { type: string; truncated_token: string | null };
  root_resource: Reference;
  action: string;
  details: { resource: Reference; fields: { name: string; value?: unknown; before_value?: unknown }[] };
}

interface AuditPage {
  records: AuditRecord[];
  next_cursor: string | null;
}

const types = ['', 'users', 'teams', 'services', 'escalation_policies', 'schedules', 'webhook_subscriptions'];

/** The account's audit log (newest first, a page of 50 at a time), filtered by resource type. */
export function AuditTab() {
  const [type, setType] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const data = useResource(
    (signal) =>
      api.get<AuditPage>(
        'audit/records',
        { limit: 50, cursor, ...(type ? { root_resource_types: [type] } : {}) },
        signal,
      ),
    `audit:${type}:${cursor ?? ''}`,
  );
  return (
    <div className="stack">
      <label className="filter-field">
        Resource type
        <select
          value={type}
          onChange={(e) => {
            setType(e.target.value);
            setCursors([]);
          }}
        >
          {types.map((t) => (
            <option key={t} value={t}>
              {t ? t.replace('_', ' ') : 'All'}
            </option>
          ))}
        </select>
      </label>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : data.data.records.length === 0 ? (
        <p className="muted">No records in the last 31 days.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {data.data.records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Time at={r.execution_time} />
                  </td>
                  <td>
                    {r.actors.map((a) => a.summary).join(', ') || '—'}
                    <div className="muted">{r.method.type.replace(/_/g, ' ')}</div>
                  </td>
                  <td>
                    {r.action} {r.details.resource.type.replace('_reference', '').replace(/_/g, ' ')}{' '}
                    <strong>{r.details.resource.summary || r.root_resource.summary}</strong>
                  </td>
                  <td className="muted">{r.details.fields.map((f) => f.name).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!data.data?.next_cursor}
          onClick={() => data.data?.next_cursor && setCursors([...cursors, data.data.next_cursor])}
        >
          Older
        </button>
      </div>
    </div>
  );
}
