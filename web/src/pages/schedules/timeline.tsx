import type { Entry } from './schedule-api.js';

const palette = ['#93c5fd', '#fca5a5', '#86efac', '#fcd34d', '#c4b5fd', '#f9a8d4', '#5eead4', '#fdba74'];

/** A stable colour per user, so one person looks the same on every row. */
function colourOf(userId: string, ids: string[]): string {
  const i = ids.indexOf(userId);
  return palette[(i < 0 ? 0 : i) % palette.length] ?? '#93c5fd';
}

/** A row of the timeline: a name and its shifts. */
export interface TimelineRow {
  label: string;
  entries: Entry[];
  /** Shifts of this row can be picked (to make an override of them). */
  pickable?: boolean;
}

interface Props {
  since: string;
  until: string;
  zone: string;
  rows: TimelineRow[];
  now: number;
  onPick?: (entry: Entry) => void;
}

function dayStarts(since: number, until: number, zone: string): { at: number; label: string }[] {
  const days: { at: number; label: string }[] = [];
  const fmt = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', day: 'numeric' });
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  // Walk hour by hour and mark local midnights (works across daylight-saving changes).
  for (let t = since; t < until; t += 3_600_000)
    if (hour.format(t) === '00:00') days.push({ at: t, label: fmt.format(t) });
  return days;
}

/** Each layer, the overrides and the final schedule drawn over the window, in the chosen time zone. */
export function Timeline({ since, until, zone, rows, now, onPick }: Props) {
  const from = Date.parse(since);
  const to = Date.parse(until);
  const span = to - from;
  const pct = (t: number) => `${(Math.min(Math.max(t - from, 0), span) / span) * 100}%`;
  const width = (s: number, e: number) => `${((Math.min(e, to) - Math.max(s, from)) / span) * 100}%`;
  const userIds = [...new Set(rows.flatMap((r) => r.entries.map((e) => e.user.id)))];
  const fmt = (iso: string) =>
    new Date(iso).toLocaleString(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="tl" role="group" aria-label="Schedule timeline">
      <div className="tl-inner">
        <div className="tl-days" aria-hidden="true">
          {dayStarts(from, to, zone).map((d) => (
            <span key={d.at} className="tl-day" style={{ left: pct(d.at) }}>
              {d.label}
            </span>
          ))}
        </div>
        {rows.map((row) => (
          <div key={row.label} className="tl-row">
            <span className="tl-label" title={row.label}>
              {row.label}
            </span>
            <ul className="tl-track" aria-label={row.label} style={{ listStyle: 'none', padding: 0 }}>
              {now >= from && now < to && (
                <li className="tl-now" style={{ left: pct(now) }} aria-hidden="true" />
              )}
              {row.entries.map((e) => {
                const s = Date.parse(e.start);
                const end = Date.parse(e.end);
                const text = `${e.user.summary}: ${fmt(e.start)} – ${fmt(e.end)}`;
                const style = {
                  left: pct(s),
                  width: width(s, end),
                  background: colourOf(e.user.id, userIds),
                };
                return (
                  <li key={`${e.start}-${e.user.id}`}>
                    {row.pickable && onPick ? (
                      <button
                        type="button"
                        className="tl-seg"
                        style={style}
                        title={text}
                        aria-label={`Override ${text}`}
                        onClick={() => onPick(e)}
                      >
                        {e.user.summary}
                      </button>
                    ) : (
                      <span className="tl-seg" style={style} title={text}>
                        <span className="visually-hidden">{text}</span>
                        <span aria-hidden="true">{e.user.summary}</span>
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
