import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client.js';
import type { Reference } from '../../api/types.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { duration } from '../people/people-api.js';
import '../people/ui.css';

interface Figures {
  incidents: number;
  high_urgency: number;
  low_urgency: number;
  acknowledged: number;
  resolved: number;
  mean_seconds_to_acknowledge: number | null;
  mean_seconds_to_resolve: number | null;
}

interface IncidentAnalytics {
  since: string;
  until: string;
  totals: Figures;
  services: (Figures & { service: Reference })[];
  teams: (Figures & { team: Reference | null })[];
  days: { date: string; incidents: number }[];
}

interface NotificationAnalytics {
  channels: { channel: string; sent: number; failed: number }[];
  users: { user: Reference; sent: number; by_channel: Record<string, number> }[];
}

const periods: [number, string][] = [
  [7, 'Last 7 days'],
  [30, 'Last 30 days'],
  [90, 'Last 90 days'],
  [365, 'Last year'],
];

const axis = { stroke: 'var(--muted)', fontSize: 12 };
const tooltip = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' },
};

function minutes(s: number | null) {
  return s === null ? null : Math.round(s / 6) / 10;
}

function FigureTable({ rows, name }: { rows: (Figures & { label: string })[]; name: string }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{name}</th>
            <th scope="col">Incidents</th>
            <th scope="col">High</th>
            <th scope="col">MTTA</th>
            <th scope="col">MTTR</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td>{r.incidents}</td>
              <td>{r.high_urgency}</td>
              <td>{duration(r.mean_seconds_to_acknowledge)}</td>
              <td>{duration(r.mean_seconds_to_resolve)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** MTTA, MTTR and incident counts per service and team over a period, and notifications sent. */
export function AnalyticsPage() {
  const [days, setDays] = useState(30);
  const data = useResource(async (signal) => {
    const until = new Date();
    const since = new Date(until.getTime() - days * 86_400_000);
    const query = { since: since.toISOString(), until: until.toISOString() };
    const [incidents, notifications] = await Promise.all([
      api.get<IncidentAnalytics>('analytics/incidents', query, signal),
      api.get<NotificationAnalytics>('analytics/notifications', query, signal),
    ]);
    return { incidents, notifications };
  }, `analytics:${days}`);
  const services = (data.data?.incidents.services ?? []).map((s) => ({ ...s, label: s.service.summary }));
  const teams = (data.data?.incidents.teams ?? []).map((t) => ({
    ...t,
    label: t.team?.summary ?? 'No team',
  }));
  const t = data.data?.incidents.totals;
  return (
    <section aria-labelledby="analytics-title" className="stack">
      <div className="page-head">
        <h1 id="analytics-title">Analytics</h1>
        <label>
          Period
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {periods.map(([d, label]) => (
              <option key={d} value={d}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText>{data.error}</ErrorText>
      {!data.data || !t ? (
        <Loading />
      ) : (
        <>
          <dl className="figures card" aria-label="Totals">
            <div className="figure">
              <dt>Incidents</dt>
              <dd>{t.incidents}</dd>
            </div>
            <div className="figure">
              <dt>High urgency</dt>
              <dd>{t.high_urgency}</dd>
            </div>
            <div className="figure">
              <dt>Mean time to acknowledge</dt>
              <dd>{duration(t.mean_seconds_to_acknowledge)}</dd>
            </div>
            <div className="figure">
              <dt>Mean time to resolve</dt>
              <dd>{duration(t.mean_seconds_to_resolve)}</dd>
            </div>
          </dl>
          <article className="card" aria-labelledby="per-day">
            <h2 id="per-day">Incidents per day</h2>
            {t.incidents === 0 && <p className="muted">No incidents in this period.</p>}
            <div
              className="chart"
              role="img"
              aria-label={`Incidents per day: ${data.data.incidents.days.map((d) => `${d.date} ${d.incidents}`).join(', ') || 'none'}`}
            >
              <ResponsiveContainer>
                <BarChart data={data.data.incidents.days}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis dataKey="date" tick={axis} />
                  <YAxis allowDecimals={false} tick={axis} />
                  <Tooltip {...tooltip} />
                  <Bar dataKey="incidents" name="Incidents" fill="var(--accent)" />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </article>
          <article className="card" aria-labelledby="per-service">
            <h2 id="per-service">Per service</h2>
            {services.length > 0 && (
              <div
                className="chart"
                role="img"
                aria-label="Mean minutes to acknowledge and resolve per service"
              >
                <ResponsiveContainer>
                  <BarChart
                    data={services.map((s) => ({
                      name: s.label,
                      mtta: minutes(s.mean_seconds_to_acknowledge),
                      mttr: minutes(s.mean_seconds_to_resolve),
                    }))}
                  >
                    <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                    <XAxis dataKey="name" tick={axis} />
                    <YAxis tick={axis} unit=" min" />
                    <Tooltip {...tooltip} />
                    <Legend />
                    <Bar dataKey="mtta" name="MTTA (min)" fill="#60a5fa" />
                    <Bar dataKey="mttr" name="MTTR (min)" fill="#f97316" />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            )}
            <FigureTable rows={services} name="Service" />
          </article>
          <article className="card" aria-labelledby="per-team">
            <h2 id="per-team">Per team</h2>
            <FigureTable rows={teams} name="Team" />
          </article>
          <article className="card" aria-labelledby="notifications">
            <h2 id="notifications">Notifications sent</h2>
            <div className="chart" role="img" aria-label="Notifications sent and failed per channel">
              <ResponsiveContainer>
                <BarChart data={data.data.notifications.channels}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis dataKey="channel" tick={axis} />
                  <YAxis allowDecimals={false} tick={axis} />
                  <Tooltip {...tooltip} />
                  <Legend />
                  <Bar dataKey="sent" name="Sent" fill="#22c55e" stackId="n" />
                  <Bar dataKey="failed" name="Failed" fill="#ef4444" stackId="n" />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <h3>Per person (load on people)</h3>
            {data.data.notifications.users.length === 0 ? (
              <p className="muted">No notifications sent in this period.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Person</th>
                      <th scope="col">Sent</th>
                      <th scope="col">By channel</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.data.notifications.users.map((u) => (
                      <tr key={u.user.id}>
                        <td>{u.user.summary}</td>
                        <td>{u.sent}</td>
                        <td>
                          {Object.entries(u.by_channel)
                            .map(([c, n]) => `${c} ${n}`)
                            .join(', ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </article>
        </>
      )}
    </section>
  );
}
