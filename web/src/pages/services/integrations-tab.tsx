import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api/client.js';
import type { Integration, IntegrationType, Service } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText, Loading, Time } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';

const typeNames: Record<IntegrationType, string> = {
  events_api_v2_inbound_integration: 'Events API v2',
  generic_events_api_inbound_integration: 'Events API v1 (generic)',
  thousandeyes_webhook_inbound_integration: 'ThousandEyes',
  generic_json_webhook_inbound_integration: 'Generic JSON webhook',
};

/** A ready curl line that opens a test incident through this integration. */
export function curlLine(integration: Integration): string {
  if (integration.type === 'events_api_v2_inbound_integration') {
    const body = JSON.stringify({
      routing_key: integration.integration_key,
      event_action: 'trigger',
      payload: { summary: 'Test event from curl', source: 'curl', severity: 'critical' },
    });
    return `curl -sS -X POST ${integration.events_url} -H 'Content-Type: application/json' -d '${body}'`;
  }
  if (integration.type === 'generic_events_api_inbound_integration') {
    const body = JSON.stringify({
      service_key: integration.integration_key,
      event_type: 'trigger',
      description: 'Test event from curl',
    });
    return `curl -sS -X POST ${integration.events_url} -H 'Content-Type: application/json' -d '${body}'`;
  }
  return `curl -sS -X POST ${integration.events_url} -H 'Content-Type: application/json' -d '{"summary":"Test event from curl"}'`;
}

/** One integration: its key with a copy button, the events URL and a curl line; delete with confirmation. */
function IntegrationCard(props: { integration: Integration; onDeleted: () => void; readOnly: boolean }) {
  const { integration, onDeleted, readOnly } = props;
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const curl = curlLine(integration);
  const remove = async () => {
    setConfirming(false);
    try {
      await api.delete(`services/${integration.service.id}/integrations/${integration.id}`);
      onDeleted();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <article className="card stack" aria-label={`Integration ${integration.name}`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <div>
          <strong>{integration.name}</strong> <span className="muted">· {typeNames[integration.type]}</span>
        </div>
        {!readOnly && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      <dl className="kv">
        <dt>Integration key</dt>
        <dd className="row">
          <code data-testid="integration-key">{integration.integration_key}</code>
          <CopyButton value={integration.integration_key} label={`Copy the key of ${integration.name}`} />
        </dd>
        <dt>Events URL</dt>
        <dd className="row">
          <code>{integration.events_url}</code>
          <CopyButton value={integration.events_url} label="Copy the events URL" />
        </dd>
        <dt>Created</dt>
        <dd>
          <Time at={integration.created_at} />
        </dd>
      </dl>
      <div>
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <span className="muted">Send a test event</span>
          <CopyButton value={curl} label="Copy the curl command" />
        </div>
        <pre>{curl}</pre>
      </div>
      <ErrorText>{error}</ErrorText>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${integration.name}?`}
        confirmLabel="Delete integration"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>Its key stops working at once: events sent with it are refused.</p>
      </ConfirmDialog>
    </article>
  );
}

/** New integration: type and name, then the new key is shown at the top of the list. */
function NewIntegration({ service, onCreated }: { service: Service; onCreated: () => void }) {
  const [type, setType] = useState<IntegrationType>('events_api_v2_inbound_integration');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post(`services/${service.id}/integrations`, {
        integration: { type, name: name || typeNames[type] },
      });
      setName('');
      setOpen(false);
      onCreated();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!open)
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        New integration
      </button>
    );
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="New integration">
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value as IntegrationType)}>
          {Object.entries(typeNames)
            .filter(([t]) => t !== 'generic_json_webhook_inbound_integration') // needs field paths: use the API
            .map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
        </select>
      </label>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={typeNames[type]} />
      </label>
      <ErrorText>{error}</ErrorText>
      <div className="actions">
        <button type="submit" className="primary">
          Add integration
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The Integrations tab of a service. */
export function IntegrationsTab(props: { service: Service; onChanged: () => void; readOnly?: boolean }) {
  const { service, onChanged, readOnly = false } = props;
  const list = useResource(
    (signal) =>
      Promise.all(
        service.integrations.map((ref) =>
          api
            .get<{ integration: Integration }>(`services/${service.id}/integrations/${ref.id}`, {}, signal)
            .then((b) => b.integration),
        ),
      ).then((items) => items.sort((a, b) => (a.created_at < b.created_at ? 1 : -1))),
    service.integrations.map((i) => i.id).join(','),
  );
  return (
    <section aria-label="Integrations" className="stack">
      {!readOnly && (
        <div>
          <NewIntegration service={service} onCreated={onChanged} />
        </div>
      )}
      <ErrorText>{list.error}</ErrorText>
      {!list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p className="muted">No integrations: add one to receive events from a monitoring tool.</p>
      ) : (
        list.data.map((i) => (
          <IntegrationCard key={i.id} integration={i} onDeleted={onChanged} readOnly={readOnly} />
        ))
      )}
    </section>
  );
}
