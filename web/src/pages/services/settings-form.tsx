import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import type { EscalationPolicy, Service, SupportHours, UrgencyRule } from '../../api/types.js';
import { ErrorText } from '../../components/status.js';

type Constant = 'high' | 'low' | 'severity_based';
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Draft {
  name: string;
  description: string;
  policy: string;
  urgency: Constant | 'support_hours';
  during: Constant;
  outside: Constant;
  ackTimeout: string;
  resolveTimeout: string;
  grouping: '' | 'time' | 'intelligent' | 'content_based';
  groupingTimeout: string;
  hours: SupportHours;
}

function draftOf(s: Service): Draft {
  const rule: UrgencyRule = s.incident_urgency_rule;
  const minutes = (v: number | null) => (v === null ? '' : String(Math.round(v / 60)));
  return {
    name: s.name,
    description: s.description ?? '',
    policy: s.escalation_policy?.id ?? '',
    urgency: rule.type === 'constant' ? rule.urgency : 'support_hours',
    during: rule.type === 'use_support_hours' ? rule.during_support_hours.urgency : 'high',
    outside: rule.type === 'use_support_hours' ? rule.outside_support_hours.urgency : 'low',
    ackTimeout: minutes(s.acknowledgement_timeout),
    resolveTimeout: minutes(s.auto_resolve_timeout),
    grouping: (s.alert_grouping_parameters.type ?? '') as Draft['grouping'],
    groupingTimeout: String(Number(s.alert_grouping_parameters.config?.timeout ?? 0) / 60 || ''),
    hours: s.support_hours ?? {
      type: 'fixed_time_per_day',
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      days_of_week: [1, 2, 3, 4, 5],
      start_time: '09:00:00',
      end_time: '17:00:00',
    },
  };
}

function bodyOf(d: Draft, current: Service): Record<string, unknown> {
  const seconds = (v: string) => (v.trim() === '' ? null : Math.round(Number(v) * 60));
  const constant = (u: Constant) => ({ type: 'constant', urgency: u });
  const grouping =
    d.grouping === ''
      ? { type: null }
      : d.grouping === 'time'
        ? { type: 'time', config: { timeout: seconds(d.groupingTimeout) ?? 0 } }
        : d.grouping === 'content_based'
          ? current.alert_grouping_parameters.type === 'content_based'
            ? current.alert_grouping_parameters
            : {
                type: 'content_based',
                config: { aggregate: 'all', fields: ['source', 'component'], time_window: 0 },
              }
          : { type: 'intelligent' };
  return {
    type: 'service',
    name: d.name,
    description: d.description || null,
    escalation_policy: d.policy ? { id: d.policy, type: 'escalation_policy_reference' } : null,
    acknowledgement_timeout: seconds(d.ackTimeout),
    auto_resolve_timeout: seconds(d.resolveTimeout),
    incident_urgency_rule:
      d.urgency === 'support_hours'
        ? {
            type: 'use_support_hours',
            during_support_hours: constant(d.during),
            outside_support_hours: constant(d.outside),
          }
        : constant(d.urgency),
    support_hours: d.urgency === 'support_hours' ? d.hours : current.support_hours,
    alert_grouping_parameters: grouping,
  };
}

function UrgencySelect(props: { label: string; value: Constant; onChange: (v: Constant) => void }) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as Constant)}>
        <option value="high">High</option>
        <option value="low">Low</option>
        <option value="severity_based">By the event&apos;s severity</option>
      </select>
    </label>
  );
}

/** Props of SettingsForm. */
export interface SettingsFormProps {
  service: Service;
  policies: EscalationPolicy[];
  onSaved: (service: Service) => void;
  /** Shown but not editable (responders and observers). */
  readOnly?: boolean;
}

/** The service's settings: policy, urgency rule and support hours, timeouts and alert grouping. */
export function SettingsForm({ service, policies, onSaved, readOnly = false }: SettingsFormProps) {
  const [d, setD] = useState<Draft>(() => draftOf(service));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setD({ ...d, [key]: value });
  };
  const setHours = (change: Partial<SupportHours>) => set('hours', { ...d.hours, ...change });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = await api.put<{ service: Service }>(`services/${service.id}`, {
        service: bodyOf(d, service),
      });
      setSaved(true);
      onSaved(body.service);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="Service settings">
      {readOnly && <p className="muted">Only admins and managers can change a service.</p>}
      <fieldset disabled={readOnly} className="plain stack">
        <label>
          Name
          <input required value={d.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          Description
          <textarea value={d.description} onChange={(e) => set('description', e.target.value)} />
        </label>
        <label>
          Escalation policy
          <select value={d.policy} onChange={(e) => set('policy', e.target.value)}>
            <option value="">None (incidents go to the fallback)</option>
            {policies.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="stack">
          <legend>Urgency</legend>
          <label>
            Incidents are
            <select value={d.urgency} onChange={(e) => set('urgency', e.target.value as Draft['urgency'])}>
              <option value="high">High urgency</option>
              <option value="low">Low urgency</option>
              <option value="severity_based">By the event&apos;s severity</option>
              <option value="support_hours">By support hours</option>
            </select>
          </label>
          {d.urgency === 'support_hours' && (
            <>
              <div className="row">
                <UrgencySelect
                  label="During support hours"
                  value={d.during}
                  onChange={(v) => set('during', v)}
                />
                <UrgencySelect
                  label="Outside support hours"
                  value={d.outside}
                  onChange={(v) => set('outside', v)}
                />
              </div>
              <div className="row">
                <label>
                  Time zone
                  <input
                    value={d.hours.time_zone}
                    onChange={(e) => setHours({ time_zone: e.target.value })}
                  />
                </label>
                <label>
                  From
                  <input
                    type="time"
                    value={d.hours.start_time.slice(0, 5)}
                    onChange={(e) => setHours({ start_time: `${e.target.value}:00` })}
                  />
                </label>
                <label>
                  To
                  <input
                    type="time"
                    value={d.hours.end_time.slice(0, 5)}
                    onChange={(e) => setHours({ end_time: `${e.target.value}:00` })}
                  />
                </label>
              </div>
              <div className="row" role="group" aria-label="Support days">
                {DAYS.map((day, i) => (
                  <label key={day} className="inline">
                    <input
                      type="checkbox"
                      checked={d.hours.days_of_week.includes(i + 1)}
                      onChange={(e) =>
                        setHours({
                          days_of_week: e.target.checked
                            ? [...d.hours.days_of_week, i + 1].sort()
                            : d.hours.days_of_week.filter((n) => n !== i + 1),
                        })
                      }
                    />
                    {day}
                  </label>
                ))}
              </div>
            </>
          )}
        </fieldset>
        <div className="row">
          <label>
            Acknowledgement timeout (minutes)
            <input
              type="number"
              min={1}
              value={d.ackTimeout}
              placeholder="Never"
              onChange={(e) => set('ackTimeout', e.target.value)}
            />
          </label>
          <label>
            Auto-resolve after (minutes)
            <input
              type="number"
              min={1}
              value={d.resolveTimeout}
              placeholder="Never"
              onChange={(e) => set('resolveTimeout', e.target.value)}
            />
          </label>
        </div>
        <div className="row">
          <label>
            Alert grouping
            <select value={d.grouping} onChange={(e) => set('grouping', e.target.value as Draft['grouping'])}>
              <option value="">None: each alert opens an incident</option>
              <option value="time">By time window</option>
              <option value="content_based">By content</option>
              <option value="intelligent">Intelligent</option>
            </select>
          </label>
          {d.grouping === 'time' && (
            <label>
              Window (minutes, 0 = until resolved)
              <input
                type="number"
                min={0}
                value={d.groupingTimeout}
                onChange={(e) => set('groupingTimeout', e.target.value)}
              />
            </label>
          )}
        </div>
        <ErrorText>{error}</ErrorText>
        {saved && (
          <p className="notice" role="status">
            Saved.
          </p>
        )}
        {!readOnly && (
          <div>
            <button type="submit" className="primary">
              Save settings
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
