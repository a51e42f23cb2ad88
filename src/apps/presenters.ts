import type { Links } from '../http/rest.js';
import type { IntegrationsTable } from '../store/database.js';
import type { OAuthApp } from './oauth-app.js';

/** An app as the REST API shows it; `client_secret` only in the answer to its creation. */
export function presentApp(links: Links, app: OAuthApp, clientSecret?: string | null) {
  return {
    id: app.id,
    type: 'oauth_app',
    summary: app.name,
    self: links.self('oauth_apps', app.id),
    html_url: links.html('apps', app.id),
    name: app.name,
    description: app.description,
    client_id: app.clientId,
    client_type: app.clientType,
    redirect_uris: app.redirectUris,
    scopes: app.scopes,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
  };
}

/** An integration an app was given, with its service reference. */
export function presentAppIntegration(links: Links, row: IntegrationsTable & { service_name: string }) {
  return {
    id: row.id,
    type: row.type,
    summary: row.name,
    self: `${links.self('services', row.service_id)}/integrations/${row.id}`,
    html_url: `${links.html('services', row.service_id)}/integrations/${row.id}`,
    name: row.name,
    integration_key: row.integration_key,
    service: links.reference('service', 'services', row.service_id, row.service_name),
    created_at: row.created_at,
  };
}
