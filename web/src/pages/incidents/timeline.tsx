import type { LogEntry } from '../../api/types.js';
import { Time } from '../../components/status.js';

const typeLabels: Record<string, string> = {
  trigger_log_entry: 'Triggered',
  acknowledge_log_entry: 'Acknowledged',
  resolve_log_entry: 'Resolved',
  assign_log_entry: 'Assigned',
  escalate_log_entry: 'Escalated',
  notify_log_entry: 'Notified',
  annotate_log_entry: 'Note',
  snooze_log_entry: 'Snoozed',
  unacknowledge_log_entry: 'Unacknowledged',
  reach_trigger_limit_log_entry: 'Trigger limit',
  repeat_escalation_path_log_entry: 'Repeated',
  merge_log_entry: 'Merged',
  link_log_entry: 'Linked',
  delegate_log_entry: 'Reassigned',
  urgency_change_log_entry: 'Urgency changed',
};

/** "Triggered", "Note", … for a log entry type. */
export function typeLabel(type: string): string {
  return typeLabels[type] ?? type.replace(/_log_entry$/, '').replace(/_/g, ' ');
}

/** How a log entry came about, as a phrase: "via API", "via SMS", "automatically", … */
export function channelPhrase(channel: LogEntry['channel']): string | null {
  const label = channelLabel(channel);
  if (label === null) return null;
  return label === 'automatically' ? label : label === 'timeout' ? 'on timeout' : `via ${label}`;
}

/** Which channel a log entry came through: "API", "email", "web", "SMS", … */
export function channelLabel(channel: LogEntry['channel']): string | null {
  const type = channel.type;
  if (!type) return null;
  const known: Record<string, string> = {
    api: 'API',
    web_trigger: 'web',
    website: 'web',
    web: 'web',
    email: 'email',
    sms: 'SMS',
    phone: 'phone',
    push: 'push',
    push_notification: 'push',
    slack: 'Slack',
    auto: 'automatically',
    timeout: 'timeout',
    note: 'note',
  };
  return known[type] ?? type.replace(/_/g, ' ');
}

/** The incident's log entries, oldest first: who did what, through which channel, and any note. */
export function Timeline({ entries }: { entries: LogEntry[] }) {
  if (entries.length === 0) return <p className="muted">No entries yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {entries.map((entry) => {
        const via = channelPhrase(entry.channel);
        return (
          <li key={entry.id} className={entry.type}>
            <div className="row">
              <strong>{typeLabel(entry.type)}</strong>
              <span className="muted">
                <Time at={entry.created_at} />
              </span>
            </div>
            <div>{entry.summary}</div>
            <div className="muted">
              {entry.agent ? `by ${entry.agent.summary}` : ''}
              {entry.agent && via ? ' · ' : ''}
              {via ?? ''}
            </div>
            {entry.note && <div className="note">{entry.note}</div>}
          </li>
        );
      })}
    </ol>
  );
}
