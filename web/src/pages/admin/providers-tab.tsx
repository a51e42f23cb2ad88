import { api } from '../../api/client.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

interface Settings {
  notification_settings: { providers: Record<string, string> };
}

interface Channels {
  channels: { channel: string; sent: number; failed: number }[];
}

const words: Record<string, string> = {
  email_contact_method: 'Email',
  sms_contact_method: 'SMS',
  phone_contact_method: 'Phone',
  push_notification_contact_method: 'Push',
  slack_contact_method: 'Slack',
  webhook_contact_method: 'Webhook',
};

/** Which provider delivers each contact type, and how it fared over the last 24 hours. */
export function ProvidersTab() {
  const data = useResource(async (signal) => {
    const until = new Date();
    const since = new Date(until.getTime() - 86_400_000);
    const [settings, health] = await Promise.all([
      api.get<Settings>('settings/notifications', {}, signal),
      api.get<Channels>(
        'analytics/notifications',
        { since: since.toISOString(), until: until.toISOString() },
        signal,
      ),
    ]);
    return { providers: settings.notification_settings.providers, channels: health.channels };
  }, 'providers');
  if (!data.data) return data.error ? <ErrorText>{data.error}</ErrorText> : <Loading />;
  const { providers, channels } = data.data;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Contact type</th>
            <th scope="col">Provider</th>
            <th scope="col">Sent (24 h)</th>
            <th scope="col">Failed (24 h)</th>
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(providers).map(([type, provider]) => {
            const c = channels.find((x) => x.channel === provider);
            const failed = c?.failed ?? 0;
            const sent = c?.sent ?? 0;
            const health =
              provider === 'log'
                ? 'Not configured (written to the log)'
                : failed > 0 && sent === 0
                  ? 'Failing'
                  : failed > 0
                    ? 'Some failures'
                    : 'OK';
            return (
              <tr key={type}>
                <td>{words[type] ?? type}</td>
                <td>{provider}</td>
                <td>{sent}</td>
                <td>{failed}</td>
                <td>
                  <span
                    className={`badge ${health === 'OK' ? 'badge-active' : health === 'Failing' ? 'badge-critical' : 'badge-warning'}`}
                  >
                    {health}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
