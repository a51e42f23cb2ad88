import { useState } from 'react';
import type { Reference } from '../../api/types.js';
import type { PolicyRule } from './policy-api.js';

/** Users and schedules a level may target. */
export interface TargetChoices {
  users: { id: string; name: string }[];
  schedules: { id: string; name: string }[];
}

interface Props {
  index: number;
  count: number;
  rule: PolicyRule;
  choices: TargetChoices;
  onChange: (rule: PolicyRule) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

/** One level of the policy editor: its targets (users and schedules) and the delay before the next level. */
export function LevelEditor({ index, count, rule, choices, onChange, onMove, onRemove }: Props) {
  const [pick, setPick] = useState('');
  const n = index + 1;
  const add = () => {
    if (!pick) return;
    const [kind, id] = pick.split(':') as ['user' | 'schedule', string];
    const list = kind === 'user' ? choices.users : choices.schedules;
    const name = list.find((x) => x.id === id)?.name ?? id;
    if (rule.targets.some((t) => t.id === id)) return;
    const target: Reference = { id, type: `${kind}_reference`, summary: name };
    onChange({ ...rule, targets: [...rule.targets, target] });
    setPick('');
  };
  return (
    <fieldset className="card stack level">
      <legend>Level {n}</legend>
      <ul className="chips" aria-label={`Level ${n} targets`}>
        {rule.targets.length === 0 && <li className="muted">Nobody yet</li>}
        {rule.targets.map((t) => (
          <li key={t.id} className="chip">
            <span>
              {t.type.startsWith('schedule') && <span className="muted">Schedule </span>}
              {t.summary}
            </span>
            <button
              type="button"
              className="link-button"
              aria-label={`Remove ${t.summary} from level ${n}`}
              onClick={() => onChange({ ...rule, targets: rule.targets.filter((x) => x.id !== t.id) })}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="row wrap">
        <label>
          Add a user or schedule to level {n}
          <select value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">Choose…</option>
            <optgroup label="Schedules">
              {choices.schedules.map((s) => (
                <option key={s.id} value={`schedule:${s.id}`}>
                  {s.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Users">
              {choices.users.map((u) => (
                <option key={u.id} value={`user:${u.id}`}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button type="button" onClick={add} disabled={!pick}>
          Add to level {n}
        </button>
      </div>
      <label>
        Escalate after (minutes) if not acknowledged, level {n}
        <input
          type="number"
          min={1}
          max={1440}
          required
          value={rule.escalation_delay_in_minutes}
          onChange={(e) => onChange({ ...rule, escalation_delay_in_minutes: Number(e.target.value) })}
        />
      </label>
      <div className="actions">
        <button type="button" onClick={() => onMove(-1)} disabled={index === 0}>
          Move level {n} up
        </button>
        <button type="button" onClick={() => onMove(1)} disabled={index === count - 1}>
          Move level {n} down
        </button>
        <button type="button" className="danger" onClick={onRemove} disabled={count === 1}>
          Remove level {n}
        </button>
      </div>
    </fieldset>
  );
}
