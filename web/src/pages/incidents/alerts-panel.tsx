import type { Alert, AlertContext } from '../../api/types.js';
import { StatusBadge, Time } from '../../components/status.js';

/** Links and images an alert carries (Events API v2 `links`/`images`, v1 `contexts`). */
function contextsOf(alert: Alert): AlertContext[] {
  return alert.body.contexts ?? alert.body.cef_details?.contexts ?? [];
}

/** Only http(s) addresses are rendered as links or images; anything else is shown as text. */
function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function Details({ details }: { details: unknown }) {
  if (details === null || details === undefined) return null;
  if (typeof details !== 'object') return <pre>{JSON.stringify(details)}</pre>;
  const entries = Object.entries(details as Record<string, unknown>);
  if (entries.length === 0) return null;
  return (
    <dl className="kv">
      {entries.map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' ? value : <code>{JSON.stringify(value)}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One alert: summary, severity, source, custom details, links and images. */
function AlertCard({ alert }: { alert: Alert }) {
  const contexts = contextsOf(alert);
  const cef = alert.body.cef_details ?? {};
  return (
    <article className="card alert-card" aria-label={`Alert ${alert.summary}`}>
      <div className="row">
        <StatusBadge status={alert.status} />
        <span
          className={`badge badge-${alert.severity === 'critical' || alert.severity === 'error' ? 'high' : 'low'}`}
        >
          {alert.severity}
        </span>
        <strong>{alert.summary}</strong>
      </div>
      <p className="muted">
        <Time at={alert.created_at} /> · {alert.integration.summary}
        {cef.source_origin ? ` · source ${cef.source_origin}` : ''} · key <code>{alert.alert_key}</code>
      </p>
      <Details details={alert.body.details ?? cef.details} />
      {contexts.length > 0 && (
        <ul>
          {contexts.map((c, i) => {
            const href = safeUrl(c.href);
            const src = safeUrl(c.src);
            if (c.type === 'image' && src)
              return (
                <li key={i}>
                  {href ? (
                    <a href={href} target="_blank" rel="noreferrer noopener">
                      <img src={src} alt={c.alt ?? c.text ?? 'Alert image'} loading="lazy" />
                    </a>
                  ) : (
                    <img src={src} alt={c.alt ?? c.text ?? 'Alert image'} loading="lazy" />
                  )}
                </li>
              );
            return (
              <li key={i}>
                {href ? (
                  <a href={href} target="_blank" rel="noreferrer noopener">
                    {c.text ?? href}
                  </a>
                ) : (
                  (c.text ?? c.href ?? '')
                )}
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}

/** The incident's alerts. */
export function AlertsPanel({ alerts }: { alerts: Alert[] }) {
  if (alerts.length === 0) return <p className="muted">No alerts (the incident was opened by hand).</p>;
  return (
    <div>
      {alerts.map((a) => (
        <AlertCard key={a.id} alert={a} />
      ))}
    </div>
  );
}
