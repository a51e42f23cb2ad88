import { NavLink, useParams } from 'react-router-dom';
import { useUser } from '../../api/session.js';
import '../people/ui.css';
import { ApiTokens } from '../profile/api-tokens.js';
import { AppsTab } from './apps-tab.js';
import { AuditTab } from './audit-tab.js';
import { ProvidersTab } from './providers-tab.js';
import { WebhooksTab } from './webhooks-tab.js';

const tabs: [string, string][] = [
  ['webhooks', 'Webhooks'],
  ['providers', 'Notification providers'],
  ['tokens', 'Account tokens'],
  ['audit', 'Audit log'],
  ['apps', 'OAuth apps'],
];

/** Admin pages behind one tab bar; non-admins get a plain refusal (the API refuses them too). */
export function AdminPage() {
  const { tab = 'webhooks' } = useParams();
  const user = useUser();
  const title = tabs.find(([t]) => t === tab)?.[1] ?? 'Admin';
  if (user.role !== 'admin' && user.role !== 'owner')
    return (
      <section>
        <h1>Admin</h1>
        <p className="error" role="alert">
          Only admins see these pages.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="admin-title" className="stack">
      <h1 id="admin-title">Admin: {title}</h1>
      <nav aria-label="Admin" className="tabs">
        {tabs.map(([t, label]) => (
          <NavLink key={t} to={`/admin/${t}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      {tab === 'webhooks' && <WebhooksTab />}
      {tab === 'providers' && <ProvidersTab />}
      {tab === 'tokens' && <ApiTokens kind="account" />}
      {tab === 'audit' && <AuditTab />}
      {tab === 'apps' && <AppsTab />}
    </section>
  );
}
