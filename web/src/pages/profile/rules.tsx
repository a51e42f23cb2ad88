import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import { ErrorText } from '../../components/status.js';
import { methodTypes, type ContactMethod, type HandoffRule, type NotificationRule } from './profile-api.js';

function methodRef(m: ContactMethod | undefined) {
  return m ? { id: m.id, type: `${m.type}_reference` } : undefined;
}

function methodName(methods: ContactMethod[], id: string) {
  const m = methods.find((x) => x.id === id);
  return m ? `${methodTypes[m.type] ?? m.type} ${m.address}` : id;
}

/** Notification rules for high and low urgency: after how many minutes which contact method is used. */
export function NotificationRules(props: {
  userId: string;
  methods: ContactMethod[];
  rules: NotificationRule[];
  onChange: () => void;
}) {
  const { userId, methods, rules } = props;
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ urgency: 'high', delay: 0, method: '' });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post(`users/${userId}/notification_rules`, {
        notification_rule: {
          type: 'assignment_notification_rule',
          urgency: form.urgency,
          start_delay_in_minutes: form.delay,
          contact_method: methodRef(methods.find((m) => m.id === form.method)),
        },
      });
      props.onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async (id: string) => {
    try {
      await api.delete(`users/${userId}/notification_rules/${id}`);
      props.onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <article aria-labelledby="rules-title" className="stack">
      <h2 id="rules-title">Notification rules</h2>
      <div className="two-col">
        {(['high', 'low'] as const).map((urgency) => (
          <div key={urgency} className="card">
            <h3>{urgency === 'high' ? 'High' : 'Low'}-urgency incidents</h3>
            {!rules.some((r) => r.urgency === urgency) && (
              <p className="muted">No rules: you are not notified.</p>
            )}
            <ul>
              {rules
                .filter((r) => r.urgency === urgency)
                .sort((a, b) => a.start_delay_in_minutes - b.start_delay_in_minutes)
                .map((r) => (
                  <li key={r.id}>
                    {r.start_delay_in_minutes === 0 ? 'Immediately' : `After ${r.start_delay_in_minutes} min`}
                    : {methodName(methods, r.contact_method.id)}{' '}
                    <button type="button" className="link-button" onClick={() => void remove(r.id)}>
                      Remove rule
                    </button>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </div>
      <form className="card row wrap" onSubmit={(e) => void add(e)} aria-label="Add notification rule">
        <label>
          Urgency
          <select value={form.urgency} onChange={(e) => setForm({ ...form, urgency: e.target.value })}>
            <option value="high">High</option>
            <option value="low">Low</option>
          </select>
        </label>
        <label>
          After minutes
          <input
            type="number"
            min={0}
            max={1440}
            value={form.delay}
            onChange={(e) => setForm({ ...form, delay: Number(e.target.value) })}
          />
        </label>
        <label>
          Contact method
          <select required value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value })}>
            <option value="">Choose…</option>
            {methods.map((m) => (
              <option key={m.id} value={m.id}>
                {methodName(methods, m.id)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Add rule
        </button>
      </form>
      <ErrorText>{error}</ErrorText>
    </article>
  );
}

const handoffWords = { both: 'going on and off call', oncall: 'going on call', offcall: 'going off call' };

/** On-call handoff rules: tell me before I go on (or off) call. */
export function HandoffRules(props: {
  userId: string;
  methods: ContactMethod[];
  rules: HandoffRule[];
  onChange: () => void;
}) {
  const { userId, methods, rules } = props;
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ type: 'both', advance: 60, method: '' });
  const path = `users/${userId}/oncall_handoff_notification_rules`;
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post(path, {
        oncall_handoff_notification_rule: {
          handoff_type: form.type,
          notify_advance_in_minutes: form.advance,
          contact_method: methodRef(methods.find((m) => m.id === form.method)),
        },
      });
      props.onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const remove = async (id: string) => {
    try {
      await api.delete(`${path}/${id}`);
      props.onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <article aria-labelledby="handoff-title" className="stack">
      <h2 id="handoff-title">On-call handoff notifications</h2>
      {rules.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="card">
          {rules.map((r) => (
            <li key={r.id}>
              {r.notify_advance_in_minutes} min before {handoffWords[r.handoff_type]}:{' '}
              {methodName(methods, r.contact_method.id)}{' '}
              <button type="button" className="link-button" onClick={() => void remove(r.id)}>
                Remove handoff rule
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="card row wrap" onSubmit={(e) => void add(e)} aria-label="Add handoff rule">
        <label>
          When
          <select value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="both">Going on and off call</option>
            <option value="oncall">Going on call</option>
            <option value="offcall">Going off call</option>
          </select>
        </label>
        <label>
          Minutes before
          <input
            type="number"
            min={0}
            max={10080}
            value={form.advance}
            onChange={(e) => setForm({ ...form, advance: Number(e.target.value) })}
          />
        </label>
        <label>
          Handoff contact method
          <select required value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value })}>
            <option value="">Choose…</option>
            {methods.map((m) => (
              <option key={m.id} value={m.id}>
                {methodName(methods, m.id)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Add handoff rule
        </button>
      </form>
      <ErrorText>{error}</ErrorText>
    </article>
  );
}
