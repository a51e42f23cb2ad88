import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { listAll } from '../../api/lists.js';
import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { PolicyLevelsTable, byPolicy } from '../oncall/oncall-page.js';
import { canConfigure, loadOnCalls, loadTeams, loadUsers } from '../people/people-api.js';
import '../people/ui.css';
import { LevelEditor } from './level-editor.js';
import { bodyOf, draftOf, type Policy, type PolicyDraft } from './policy-api.js';

async function loadAll(id: string | undefined, signal: AbortSignal) {
  const [policy, users, schedules, teams, onCalls] = await Promise.all([
    id ? api.get<{ escalation_policy: Policy }>(`escalation_policies/${id}`, {}, signal) : undefined,
    loadUsers(signal),
    listAll<'schedules', { id: string; name: string }>('schedules', 'schedules', {}, 1000, signal),
    loadTeams(signal),
    id ? loadOnCalls([id], signal) : [],
  ]);
  return { policy: policy?.escalation_policy, users, schedules, teams, onCalls };
}

/** One escalation policy: who is paged now per level, the services using it, and its editor. */
export function PolicyPage() {
  const { id } = useParams();
  const user = useUser();
  const navigate = useNavigate();
  const data = useResource((signal) => loadAll(id, signal), `policy:${id ?? 'new'}`);
  const [draft, setDraft] = useState<PolicyDraft>(draftOf(undefined));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const editable = canConfigure(user.role);
  useEffect(() => setDraft(draftOf(data.data?.policy)), [data.data]);

  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { policy, onCalls } = data.data;
  const update = (change: Partial<PolicyDraft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...change }));
  };
  const setRule = (i: number, rule: PolicyDraft['rules'][number]) =>
    update({ rules: draft.rules.map((r, j) => (j === i ? rule : r)) });
  const move = (i: number, by: -1 | 1) => {
    const rules = [...draft.rules];
    const [rule] = rules.splice(i, 1);
    if (rule) rules.splice(i + by, 0, rule);
    update({ rules });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (policy) {
        await api.put(`escalation_policies/${policy.id}`, bodyOf(draft));
        setSaved(true);
        data.reload();
      } else {
        const made = await api.post<{ escalation_policy: Policy }>('escalation_policies', bodyOf(draft));
        void navigate(`/policies/${made.escalation_policy.id}`);
      }
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const levels = byPolicy(onCalls)[0]?.levels;

  return (
    <section aria-labelledby="policy-title">
      <p>
        <Link to="/policies">← Escalation policies</Link>
      </p>
      <h1 id="policy-title">{policy ? policy.name : 'New escalation policy'}</h1>
      {policy && (
        <div className="two-col">
          <article className="card" aria-labelledby="paged-now">
            <h2 id="paged-now">Who would be paged now</h2>
            {levels ? (
              <div className="table-scroll">
                <PolicyLevelsTable levels={levels} />
              </div>
            ) : (
              <p className="muted">Nobody: no level has anyone on call right now.</p>
            )}
          </article>
          <article className="card" aria-labelledby="used-by">
            <h2 id="used-by">Services using it</h2>
            {policy.services.length === 0 ? (
              <p className="muted">No service uses this policy.</p>
            ) : (
              <ul>
                {policy.services.map((s) => (
                  <li key={s.id}>
                    <Link to={`/services/${s.id}`}>{s.summary}</Link>
                  </li>
                ))}
              </ul>
            )}
          </article>
        </div>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Escalation policy">
        <fieldset className="card stack" disabled={!editable}>
          <legend>Policy</legend>
          {!editable && <p className="muted">Only admins and managers change escalation policies.</p>}
          <label>
            Name
            <input required value={draft.name} onChange={(e) => update({ name: e.target.value })} />
          </label>
          <label>
            Description
            <input value={draft.description} onChange={(e) => update({ description: e.target.value })} />
          </label>
          <label>
            Team
            <select value={draft.team} onChange={(e) => update({ team: e.target.value })}>
              <option value="">No team</option>
              {data.data.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset className="stack plain" disabled={!editable}>
          <legend>Levels</legend>
          {draft.rules.map((rule, i) => (
            <LevelEditor
              key={i}
              index={i}
              count={draft.rules.length}
              rule={rule}
              choices={{ users: data.data!.users, schedules: data.data!.schedules }}
              onChange={(r) => setRule(i, r)}
              onMove={(by) => move(i, by)}
              onRemove={() => update({ rules: draft.rules.filter((_, j) => j !== i) })}
            />
          ))}
          <div>
            <button
              type="button"
              onClick={() =>
                update({ rules: [...draft.rules, { escalation_delay_in_minutes: 30, targets: [] }] })
              }
            >
              Add level
            </button>
          </div>
        </fieldset>
        <fieldset className="card stack narrow-numbers" disabled={!editable}>
          <legend>When nobody acknowledges</legend>
          <label>
            Repeat the levels this many times (0 = do not repeat)
            <input
              type="number"
              min={0}
              max={9}
              value={draft.num_loops}
              onChange={(e) => update({ num_loops: Number(e.target.value) })}
            />
          </label>
          <label>
            On-call handoff notifications
            <select
              value={draft.on_call_handoff_notifications}
              onChange={(e) =>
                update({
                  on_call_handoff_notifications: e.target
                    .value as PolicyDraft['on_call_handoff_notifications'],
                })
              }
            >
              <option value="if_has_services">Only while the policy has services</option>
              <option value="always">Always</option>
            </select>
          </label>
        </fieldset>
        <ErrorText>{error}</ErrorText>
        {saved && (
          <p role="status" className="notice">
            Saved.
          </p>
        )}
        {editable && (
          <div className="actions">
            <button type="submit" className="primary">
              {policy ? 'Save policy' : 'Create policy'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
