import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { loadOnCalls, type OnCall } from '../people/people-api.js';
import '../people/ui.css';

interface PolicyLevels {
  id: string;
  name: string;
  levels: Map<number, OnCall[]>;
}

/** Groups on-call entries by policy, then level (in level order). */
export function byPolicy(entries: OnCall[]): PolicyLevels[] {
  const policies = new Map<string, PolicyLevels>();
  for (const e of entries) {
    const p = policies.get(e.escalation_policy.id) ?? {
      id: e.escalation_policy.id,
      name: e.escalation_policy.summary,
      levels: new Map<number, OnCall[]>(),
    };
    p.levels.set(e.escalation_level, [...(p.levels.get(e.escalation_level) ?? []), e]);
    policies.set(p.id, p);
  }
  return [...policies.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The levels of one policy with who holds each now and until when. */
export function PolicyLevelsTable({ levels }: { levels: Map<number, OnCall[]> }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Level</th>
          <th scope="col">On call</th>
          <th scope="col">Via</th>
          <th scope="col">Until</th>
        </tr>
      </thead>
      <tbody>
        {[...levels.entries()]
          .sort(([a], [b]) => a - b)
          .flatMap(([level, holders]) =>
            holders.map((h, i) => (
              <tr key={`${level}-${h.user.id}-${h.schedule?.id ?? ''}`}>
                <td>{i === 0 ? level : ''}</td>
                <td>
                  <Link to={`/people/users/${h.user.id}`}>{h.user.summary}</Link>
                </td>
                <td>
                  {h.schedule ? (
                    <Link to={`/schedules/${h.schedule.id}`}>{h.schedule.summary}</Link>
                  ) : (
                    <span className="muted">Directly</span>
                  )}
                </td>
                <td>{h.end ? <Time at={h.end} /> : <span className="muted">Always</span>}</td>
              </tr>
            )),
          )}
      </tbody>
    </table>
  );
}

/** Every escalation policy level and who holds it right now. */
export function OnCallPage() {
  const [filter, setFilter] = useState('');
  const data = useResource((signal) => loadOnCalls(undefined, signal), 'oncalls');
  const policies = byPolicy(data.data ?? []).filter(
    (p) =>
      !filter ||
      p.name.toLowerCase().includes(filter.toLowerCase()) ||
      [...p.levels.values()].flat().some((h) => h.user.summary.toLowerCase().includes(filter.toLowerCase())),
  );
  return (
    <section aria-labelledby="oncall-title">
      <div className="page-head">
        <h1 id="oncall-title">On call now</h1>
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <label className="filter-field">
        Filter by policy or person
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : policies.length === 0 ? (
        <p className="card muted">Nobody is on call: no escalation policy has a level with someone on it.</p>
      ) : (
        policies.map((p) => (
          <article key={p.id} className="card" aria-labelledby={`policy-${p.id}`}>
            <h2 id={`policy-${p.id}`}>
              <Link to={`/policies/${p.id}`}>{p.name}</Link>
            </h2>
            <div className="table-scroll">
              <PolicyLevelsTable levels={p.levels} />
            </div>
          </article>
        ))
      )}
    </section>
  );
}
