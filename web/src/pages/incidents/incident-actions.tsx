import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client.js';
import { canRespond } from '../../api/roles.js';
import { useUser } from '../../api/session.js';
import type { Incident, Reference } from '../../api/types.js';
import { ErrorText } from '../../components/status.js';
import * as actions from './incident-api.js';

/** What the action panel needs besides the incident. */
export interface ActionChoices {
  users: Reference[];
  levels: number;
  /** Other open incidents this one could absorb. */
  mergeable: Reference[];
}

/** Props of IncidentActions. */
export interface IncidentActionsProps {
  incident: Incident;
  choices: ActionChoices | undefined;
  onChanged: () => void;
}

const snoozeChoices = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 4 * 3600, label: '4 hours' },
  { seconds: 8 * 3600, label: '8 hours' },
  { seconds: 24 * 3600, label: '24 hours' },
];

/** Acknowledge, resolve, reassign, escalate, snooze, add a note and merge. */
export function IncidentActions({ incident, choices, onChanged }: IncidentActionsProps) {
  const user = useUser();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [level, setLevel] = useState('');
  const [snoozeFor, setSnoozeFor] = useState('3600');
  const [mergeId, setMergeId] = useState('');
  const open = incident.status !== 'resolved';
  if (!canRespond(user))
    return (
      <section className="card">
        <p className="muted">Observers can follow incidents but not act on them.</p>
      </section>
    );

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      await action();
      setSaid(what);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const submitNote = (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) return;
    void run('Note added.', async () => {
      await actions.addNote(user, incident.id, note.trim());
      setNote('');
    });
  };

  return (
    <section aria-labelledby="actions-title" className="card stack">
      <h2 id="actions-title" style={{ margin: 0 }}>
        Actions
      </h2>
      <div className="actions" style={{ margin: 0 }}>
        <button
          type="button"
          className="primary"
          disabled={busy || incident.status !== 'triggered'}
          onClick={() =>
            void run('Acknowledged.', () =>
              actions.updateIncident(user, incident.id, { status: 'acknowledged' }),
            )
          }
        >
          Acknowledge
        </button>
        <button
          type="button"
          disabled={busy || !open}
          onClick={() =>
            void run('Resolved.', () => actions.updateIncident(user, incident.id, { status: 'resolved' }))
          }
        >
          Resolve
        </button>
      </div>
      {open && (
        <>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (assignee)
                void run('Reassigned.', () =>
                  actions.updateIncident(user, incident.id, {
                    assignments: [{ assignee: { id: assignee } }],
                  }),
                );
            }}
          >
            <label>
              Reassign to
              <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">Choose a person</option>
                {choices?.users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.summary}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={busy || !assignee} style={{ alignSelf: 'flex-end' }}>
              Reassign
            </button>
          </form>
          {incident.escalation_policy && (choices?.levels ?? 0) > 0 && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (level)
                  void run(`Escalated to level ${level}.`, () =>
                    actions.updateIncident(user, incident.id, { escalation_level: Number(level) }),
                  );
              }}
            >
              <label>
                Escalate to level
                <select value={level} onChange={(e) => setLevel(e.target.value)}>
                  <option value="">Choose a level</option>
                  {Array.from({ length: choices?.levels ?? 0 }, (_, i) => i + 1).map((n) => (
                    <option key={n} value={n} disabled={n === incident.escalation_level}>
                      Level {n}
                      {n === incident.escalation_level ? ' (now)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={busy || !level} style={{ alignSelf: 'flex-end' }}>
                Escalate
              </button>
            </form>
          )}
          {incident.status === 'acknowledged' && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void run('Snoozed.', () => actions.snooze(user, incident.id, Number(snoozeFor)));
              }}
            >
              <label>
                Snooze for
                <select value={snoozeFor} onChange={(e) => setSnoozeFor(e.target.value)}>
                  {snoozeChoices.map((c) => (
                    <option key={c.seconds} value={c.seconds}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={busy} style={{ alignSelf: 'flex-end' }}>
                Snooze
              </button>
            </form>
          )}
          {(choices?.mergeable.length ?? 0) > 0 && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (mergeId) void run('Merged.', () => actions.merge(user, incident.id, [mergeId]));
              }}
            >
              <label>
                Merge into this one
                <select value={mergeId} onChange={(e) => setMergeId(e.target.value)}>
                  <option value="">Choose an incident</option>
                  {choices?.mergeable.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.summary}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={busy || !mergeId} style={{ alignSelf: 'flex-end' }}>
                Merge
              </button>
            </form>
          )}
        </>
      )}
      <form onSubmit={submitNote} className="stack">
        <label>
          Add a note
          <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={25000} />
        </label>
        <div>
          <button type="submit" disabled={busy || !note.trim()}>
            Add note
          </button>
        </div>
      </form>
      <ErrorText>{error}</ErrorText>
      {said && (
        <p className="notice" role="status">
          {said}
        </p>
      )}
    </section>
  );
}
