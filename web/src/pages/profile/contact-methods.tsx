import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import { ErrorText } from '../../components/status.js';
import { methodTypes, type ContactMethod } from './profile-api.js';

const addable = [
  'email_contact_method',
  'sms_contact_method',
  'phone_contact_method',
  'slack_contact_method',
  'webhook_contact_method',
];

/** One contact method with verify (send a code, enter it), send a test, and remove. */
function MethodRow({ userId, m, onChange }: { userId: string; m: ContactMethod; onChange: () => void }) {
  const [code, setCode] = useState('');
  const [asked, setAsked] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `users/${userId}/contact_methods/${m.id}`;
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setNote(null);
    try {
      await work();
      setNote(done);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const verify = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api.post(`${base}/verify`, { code }), 'Verified.').then(onChange);
  };
  return (
    <li className="card stack">
      <div className="row wrap">
        <strong>{methodTypes[m.type] ?? m.type}</strong>
        <span>{m.address}</span>
        <span className="muted">{m.label}</span>
        {m.enabled === false && <span className="badge badge-warning">not verified</span>}
      </div>
      <div className="actions">
        <button
          type="button"
          onClick={() => void act(() => api.post(`${base}/test`), 'Test notification sent.')}
        >
          Send test to {m.address}
        </button>
        {m.type !== 'push_notification_contact_method' && (
          <button
            type="button"
            onClick={() =>
              void act(() => api.post(`${base}/verification`), 'Code sent.').then(() => setAsked(true))
            }
          >
            Send verification code to {m.address}
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => void act(() => api.delete(base), 'Removed.').then(onChange)}
        >
          Remove {m.address}
        </button>
      </div>
      {asked && (
        <form className="row wrap" onSubmit={verify} aria-label={`Verify ${m.address}`}>
          <label>
            Code sent to {m.address}
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          <button type="submit">Verify</button>
        </form>
      )}
      {note && (
        <p role="status" className="muted">
          {note}
        </p>
      )}
      <ErrorText>{error}</ErrorText>
    </li>
  );
}

/** The user's contact methods and a form to add one. */
export function ContactMethods({
  userId,
  methods,
  onChange,
}: {
  userId: string;
  methods: ContactMethod[];
  onChange: () => void;
}) {
  const [type, setType] = useState('email_contact_method');
  const [address, setAddress] = useState('');
  const [label, setLabel] = useState('Work');
  const [error, setError] = useState<string | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const phone = type === 'sms_contact_method' || type === 'phone_contact_method';
      await api.post(`users/${userId}/contact_methods`, {
        contact_method: { type, address, label, ...(phone ? { country_code: 1 } : {}) },
      });
      setAddress('');
      onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <article aria-labelledby="cm-title" className="stack">
      <h2 id="cm-title">Contact methods</h2>
      <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
        {methods.map((m) => (
          <MethodRow key={m.id} userId={userId} m={m} onChange={onChange} />
        ))}
      </ul>
      <form className="card row wrap" onSubmit={(e) => void add(e)} aria-label="Add contact method">
        <label>
          Kind
          <select value={type} onChange={(e) => setType(e.target.value)}>
            {addable.map((t) => (
              <option key={t} value={t}>
                {methodTypes[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Address
          <input required value={address} onChange={(e) => setAddress(e.target.value)} />
        </label>
        <label>
          Label
          <input required value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Add contact method
        </button>
      </form>
      <ErrorText>{error}</ErrorText>
    </article>
  );
}
