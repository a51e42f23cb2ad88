import { useEffect } from 'react';
import { ConnectCard } from './connect-card.js';

/** One picked service's outcome, as `POST /api/v2/install/integration` answers it. */
export interface InstallResult {
  service: { id: string; name: string | null };
  status: 'created' | 'existing' | 'failed';
  reason: string | null;
  integration: { id: string; name: string; integration_key: string } | null;
}

const LABELS: Record<InstallResult['status'], string> = {
  created: 'Connected (new integration)',
  existing: 'Already connected (existing integration kept)',
  failed: 'Failed',
};

/** Seconds before the browser goes back to the app by itself when every service worked. */
const AUTO_RETURN_SECONDS = 8;

/** What Connect did for each service, and the way back to the app. */
export function InstallResults(props: { appName: string; results: InstallResult[]; redirectTo: string }) {
  const { appName, results, redirectTo } = props;
  const allWorked = results.every((r) => r.status !== 'failed');
  const noneWorked = results.every((r) => r.status === 'failed');
  useEffect(() => {
    if (!allWorked) return;
    const timer = setTimeout(() => window.location.assign(redirectTo), AUTO_RETURN_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [allWorked, redirectTo]);
  return (
    <ConnectCard title={noneWorked ? `${appName} could not be connected` : `${appName} is connected`}>
      <ul className="install-results" aria-label="Results">
        {results.map((r) => (
          <li key={r.service.id} className={`install-result install-${r.status}`} data-status={r.status}>
            <span className="service-name">{r.service.name ?? r.service.id}</span>
            <span className={`badge badge-${r.status}`}>{LABELS[r.status]}</span>
            {r.reason && <span className="muted reason">{r.reason}</span>}
          </li>
        ))}
      </ul>
      {allWorked && <p className="muted">Returning to {appName} in a few seconds…</p>}
      <a className="button primary" href={redirectTo}>
        Continue to {appName}
      </a>
    </ConnectCard>
  );
}
