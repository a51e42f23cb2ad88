import { useState } from 'react';
import type { User } from '../../api/types.js';
import { fromLocalInput, toLocalInput, type Layer, type Restriction } from './schedule-api.js';

const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const lengths: [number, string][] = [
  [86_400, 'Daily'],
  [604_800, 'Weekly'],
  [1_209_600, 'Every two weeks'],
  [43_200, 'Every 12 hours'],
  [28_800, 'Every 8 hours'],
];

interface Props {
  layer: Layer;
  n: number;
  users: User[];
  onChange: (layer: Layer) => void;
  onRemove?: () => void;
}

function RestrictionEditor({
  r,
  n,
  onChange,
  onRemove,
}: {
  r: Restriction;
  n: string;
  onChange: (r: Restriction) => void;
  onRemove: () => void;
}) {
  return (
    <div className="row wrap">
      <label>
        {n} kind
        <select
          value={r.type}
          onChange={(e) =>
            onChange(
              e.target.value === 'weekly_restriction'
                ? { ...r, type: 'weekly_restriction', start_day_of_week: r.start_day_of_week ?? 1 }
                : {
                    type: 'daily_restriction',
                    start_time_of_day: r.start_time_of_day,
                    duration_seconds: r.duration_seconds,
                  },
            )
          }
        >
          <option value="daily_restriction">Every day</option>
          <option value="weekly_restriction">Once a week</option>
        </select>
      </label>
      {r.type === 'weekly_restriction' && (
        <label>
          {n} from day
          <select
            value={r.start_day_of_week ?? 1}
            onChange={(e) => onChange({ ...r, start_day_of_week: Number(e.target.value) })}
          >
            {days.map((d, i) => (
              <option key={d} value={i + 1}>
                {d}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {n} from
        <input
          type="time"
          value={r.start_time_of_day.slice(0, 5)}
          onChange={(e) => onChange({ ...r, start_time_of_day: `${e.target.value}:00` })}
        />
      </label>
      <label>
        {n} for hours
        <input
          type="number"
          min={1}
          max={r.type === 'weekly_restriction' ? 168 : 24}
          value={r.duration_seconds / 3600}
          onChange={(e) => onChange({ ...r, duration_seconds: Number(e.target.value) * 3600 })}
        />
      </label>
      <button type="button" className="danger" onClick={onRemove}>
        Remove {n.toLowerCase()}
      </button>
    </div>
  );
}

/** A layer's rotation: length, handoff time, users in order and daily/weekly restrictions. */
export function LayerEditor({ layer, n, users, onChange, onRemove }: Props) {
  const [pick, setPick] = useState('');
  const set = (change: Partial<Layer>) => onChange({ ...layer, ...change });
  const move = (i: number, by: -1 | 1) => {
    const list = [...layer.users];
    const [u] = list.splice(i, 1);
    if (u) list.splice(i + by, 0, u);
    set({ users: list });
  };
  const add = () => {
    const u = users.find((x) => x.id === pick);
    if (!u) return;
    set({ users: [...layer.users, { user: { id: u.id, type: 'user_reference', summary: u.name } }] });
    setPick('');
  };
  const lengthKnown = lengths.some(([s]) => s === layer.rotation_turn_length_seconds);
  return (
    <fieldset className="card stack">
      <legend>{layer.name || `Layer ${n}`}</legend>
      <label>
        Layer {n} name
        <input value={layer.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <div className="row wrap">
        <label>
          Layer {n} rotation
          <select
            value={layer.rotation_turn_length_seconds}
            onChange={(e) => set({ rotation_turn_length_seconds: Number(e.target.value) })}
          >
            {!lengthKnown && (
              <option value={layer.rotation_turn_length_seconds}>
                Every {layer.rotation_turn_length_seconds / 3600} hours
              </option>
            )}
            {lengths.map(([s, label]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Layer {n} handoff (your time)
          <input
            type="datetime-local"
            required
            value={toLocalInput(layer.rotation_virtual_start)}
            onChange={(e) =>
              e.target.value && set({ rotation_virtual_start: fromLocalInput(e.target.value) })
            }
          />
        </label>
        <label>
          Layer {n} starts (your time)
          <input
            type="datetime-local"
            required
            value={toLocalInput(layer.start)}
            onChange={(e) => e.target.value && set({ start: fromLocalInput(e.target.value) })}
          />
        </label>
      </div>
      <ol aria-label={`Layer ${n} users in rotation order`} className="stack">
        {layer.users.map((u, i) => (
          <li key={`${u.user.id}-${i}`} className="row wrap">
            <span>{u.user.summary}</span>
            <button
              type="button"
              onClick={() => move(i, -1)}
              disabled={i === 0}
              aria-label={`Move ${u.user.summary} up`}
            >
              ↑
            </button>
            <button
              type="button"
              onClick={() => move(i, 1)}
              disabled={i === layer.users.length - 1}
              aria-label={`Move ${u.user.summary} down`}
            >
              ↓
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => set({ users: layer.users.filter((_, j) => j !== i) })}
              aria-label={`Remove ${u.user.summary} from layer ${n}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="row wrap">
        <label>
          Add a user to layer {n}
          <select value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">Choose…</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={add} disabled={!pick}>
          Add user to layer {n}
        </button>
      </div>
      <div className="stack">
        <strong>Restrictions</strong>
        {layer.restrictions.length === 0 && (
          <p className="muted">None: someone is on call around the clock.</p>
        )}
        {layer.restrictions.map((r, i) => (
          <RestrictionEditor
            key={i}
            r={r}
            n={`Layer ${n} restriction ${i + 1}`}
            onChange={(x) => set({ restrictions: layer.restrictions.map((y, j) => (j === i ? x : y)) })}
            onRemove={() => set({ restrictions: layer.restrictions.filter((_, j) => j !== i) })}
          />
        ))}
        <div>
          <button
            type="button"
            onClick={() =>
              set({
                restrictions: [
                  ...layer.restrictions,
                  { type: 'daily_restriction', start_time_of_day: '09:00:00', duration_seconds: 8 * 3600 },
                ],
              })
            }
          >
            Add restriction to layer {n}
          </button>
        </div>
      </div>
      {onRemove && (
        <div>
          <button type="button" className="danger" onClick={onRemove}>
            Remove layer {n}
          </button>
        </div>
      )}
    </fieldset>
  );
}
