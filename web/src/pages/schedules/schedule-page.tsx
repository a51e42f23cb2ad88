import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { useUser } from '../../api/session.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { canConfigure, loadUsers } from '../people/people-api.js';
import '../people/ui.css';
import { LayerEditor } from './layer-editor.js';
import { OverrideForm } from './override-form.js';
import {
  layerBody,
  newLayer,
  shortTime,
  viewerZone,
  type Entry,
  type Layer,
  type Schedule,
} from './schedule-api.js';
import './schedules.css';
import { Timeline } from './timeline.js';

const DAY = 86_400_000;

function startOfToday(): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

async function load(id: string, since: string, until: string, zone: string | null, signal: AbortSignal) {
  const now = new Date().toISOString();
  const soon = new Date(Date.now() + 14 * DAY).toISOString();
  const [win, upcoming, users] = await Promise.all([
    api.get<{ schedule: Schedule }>(
      `schedules/${id}`,
      { since, until, ...(zone ? { time_zone: zone } : {}) },
      signal,
    ),
    api.get<{ schedule: Schedule }>(`schedules/${id}`, { since: now, until: soon }, signal),
    loadUsers(signal),
  ]);
  return {
    schedule: win.schedule,
    upcoming: upcoming.schedule.final_schedule?.rendered_schedule_entries ?? [],
    users,
  };
}

/** Who is on call now and who is next, from the final schedule of the coming two weeks. */
function NowNext({ entries, zone }: { entries: Entry[]; zone: string }) {
  const now = Date.now();
  const current = entries.find((e) => Date.parse(e.start) <= now && Date.parse(e.end) > now);
  const next = entries.find((e) => Date.parse(e.start) > now);
  return (
    <dl className="kv card" aria-label="On call now and next">
      <dt>On call now</dt>
      <dd>{current ? `${current.user.summary} until ${shortTime(current.end, zone)}` : 'Nobody'}</dd>
      <dt>Next</dt>
      <dd>
        {next ? `${next.user.summary} from ${shortTime(next.start, zone)}` : 'Nobody in the next two weeks'}
      </dd>
    </dl>
  );
}

/** The secret iCal feed URL of the schedule and its rotation. */
function CalendarFeed({
  schedule,
  canRotate,
  onRotated,
}: {
  schedule: Schedule;
  canRotate: boolean;
  onRotated: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    try {
      await api.post(`schedules/${schedule.id}/calendar_feed/rotate`);
      onRotated();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <article className="card stack" aria-labelledby="feed-title">
      <h2 id="feed-title">Calendar subscription</h2>
      {schedule.http_cal_url ? (
        <>
          <p className="code-line">{schedule.web_cal_url}</p>
          <div className="actions">
            <CopyButton value={schedule.web_cal_url ?? ''} label="Copy calendar link" />
            <a href={schedule.web_cal_url}>Open in calendar app</a>
          </div>
        </>
      ) : (
        <p className="muted">No feed yet.</p>
      )}
      {canRotate && (
        <div>
          <button type="button" onClick={() => void rotate()}>
            {schedule.http_cal_url ? 'Rotate link (the old one stops working)' : 'Create calendar link'}
          </button>
        </div>
      )}
      <ErrorText>{error}</ErrorText>
    </article>
  );
}

/** One schedule: now/next, the timeline over one or two weeks, overrides by picking a shift, layers, feed. */
export function SchedulePage() {
  const { id = '' } = useParams();
  const user = useUser();
  const editable = canConfigure(user.role);
  const [from, setFrom] = useState(() => startOfToday().toISOString());
  const [days, setDays] = useState(7);
  const [useScheduleZone, setUseScheduleZone] = useState(false);
  const [picked, setPicked] = useState<Entry | null>(null);
  const [layers, setLayers] = useState<Layer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const until = new Date(Date.parse(from) + days * DAY).toISOString();
  const data = useResource(
    (signal) => load(id, from, until, useScheduleZone ? null : viewerZone, signal),
    `${id}:${from}:${days}:${useScheduleZone}`,
  );
  useEffect(() => setLayers(null), [id]);
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { schedule, upcoming, users } = data.data;
  const zone = useScheduleZone ? schedule.time_zone : viewerZone;
  const shift = (by: number) => setFrom(new Date(Date.parse(from) + by * DAY).toISOString());
  const rows = [
    ...(schedule.schedule_layers ?? [])
      .map((l) => ({ label: l.name, entries: l.rendered_schedule_entries ?? [] }))
      .reverse(),
    { label: 'Overrides', entries: schedule.overrides_subschedule?.rendered_schedule_entries ?? [] },
    {
      label: 'Final schedule',
      entries: schedule.final_schedule?.rendered_schedule_entries ?? [],
      pickable: true,
    },
  ];
  const saveLayers = async () => {
    if (!layers) return;
    setError(null);
    try {
      await api.put(`schedules/${id}`, {
        schedule: { type: 'schedule', schedule_layers: layers.map(layerBody) },
      });
      setLayers(null);
      data.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="schedule-title">
      <p>
        <Link to="/schedules">← Schedules</Link>
      </p>
      <h1 id="schedule-title">{schedule.name}</h1>
      <p className="muted">
        Time zone {schedule.time_zone}
        {schedule.escalation_policies.length > 0 &&
          ` · used by ${schedule.escalation_policies.map((p) => p.summary).join(', ')}`}
      </p>
      <NowNext entries={upcoming} zone={zone} />
      <div className="row wrap" role="group" aria-label="Timeline window">
        <button type="button" onClick={() => shift(-days)} aria-label="Earlier">
          ←
        </button>
        <button type="button" onClick={() => setFrom(startOfToday().toISOString())}>
          Today
        </button>
        <button type="button" onClick={() => shift(days)} aria-label="Later">
          →
        </button>
        <label>
          Span
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>One week</option>
            <option value={14}>Two weeks</option>
          </select>
        </label>
        <label>
          Times in
          <select
            value={useScheduleZone ? 'schedule' : 'viewer'}
            onChange={(e) => setUseScheduleZone(e.target.value === 'schedule')}
          >
            <option value="viewer">My time zone ({viewerZone})</option>
            <option value="schedule">The schedule&apos;s ({schedule.time_zone})</option>
          </select>
        </label>
      </div>
      <div className="card">
        <Timeline since={from} until={until} zone={zone} rows={rows} now={Date.now()} onPick={setPicked} />
        <p className="muted">Pick a shift of the final schedule to override it.</p>
      </div>
      {picked && (
        <OverrideForm
          key={`${picked.start}-${picked.user.id}`}
          scheduleId={schedule.id}
          shift={picked}
          users={users}
          onCancel={() => setPicked(null)}
          onDone={() => {
            setPicked(null);
            data.reload();
          }}
        />
      )}
      <article className="stack" aria-labelledby="layers-title">
        <div className="page-head">
          <h2 id="layers-title">Layers</h2>
          {editable && !layers && (
            <button type="button" onClick={() => setLayers(schedule.schedule_layers ?? [])}>
              Edit layers
            </button>
          )}
        </div>
        {!layers ? (
          <ul>
            {(schedule.schedule_layers ?? []).map((l) => (
              <li key={l.id ?? l.name}>
                {l.name}: {l.users.map((u) => u.user.summary).join(' → ') || 'nobody'}, turns of{' '}
                {l.rotation_turn_length_seconds / 3600} h
                {l.restrictions.length > 0 && `, ${l.restrictions.length} restriction(s)`}
              </li>
            ))}
          </ul>
        ) : (
          <div className="stack">
            <p className="muted">Later layers win over earlier ones where they have someone on call.</p>
            {layers.map((l, i) => (
              <LayerEditor
                key={i}
                layer={l}
                n={i + 1}
                users={users}
                onChange={(x) => setLayers(layers.map((y, j) => (j === i ? x : y)))}
                onRemove={layers.length > 1 ? () => setLayers(layers.filter((_, j) => j !== i)) : undefined}
              />
            ))}
            <ErrorText>{error}</ErrorText>
            <div className="actions">
              <button type="button" onClick={() => setLayers([...layers, newLayer(layers.length + 1)])}>
                Add layer
              </button>
              <button type="button" className="primary" onClick={() => void saveLayers()}>
                Save layers
              </button>
              <button type="button" onClick={() => setLayers(null)}>
                Cancel
              </button>
            </div>
          </div>
        )}
      </article>
      <CalendarFeed schedule={schedule} canRotate={editable} onRotated={data.reload} />
    </section>
  );
}
