import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import type { User } from '../../api/types.js';
import { ErrorText } from '../../components/status.js';
import { fromLocalInput, toLocalInput, type Entry } from './schedule-api.js';

interface OverrideAnswer {
  status: number;
  errors?: string[];
}

/** Creates an override of a picked shift (or any period): who takes it, from when, until when. */
export function OverrideForm(props: {
  scheduleId: string;
  shift: Entry;
  users: User[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { shift, users } = props;
  const [start, setStart] = useState(toLocalInput(shift.start));
  const [end, setEnd] = useState(toLocalInput(shift.end));
  const [user, setUser] = useState(users.find((u) => u.id !== shift.user.id)?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = await api.post<{ overrides: OverrideAnswer[] } | OverrideAnswer[]>(
        `schedules/${props.scheduleId}/overrides`,
        {
          overrides: [
            {
              start: fromLocalInput(start),
              end: fromLocalInput(end),
              user: { id: user, type: 'user_reference' },
            },
          ],
        },
      );
      const first = (Array.isArray(body) ? body : body.overrides)[0];
      if (first && first.status >= 400)
        throw new Error((first.errors ?? ['The override was refused']).join('; '));
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="New override">
      <h2>Override {shift.user.summary}&apos;s shift</h2>
      <label>
        Who takes it
        <select required value={user} onChange={(e) => setUser(e.target.value)}>
          <option value="">Choose…</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <div className="row wrap">
        <label>
          From (your time)
          <input type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          Until (your time)
          <input type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
      </div>
      <ErrorText>{error}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary">
          Create override
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
