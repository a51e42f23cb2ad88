import type { OAuthApp } from './oauth-app.js';
import type { InstallServiceRow } from './app-integration-store.js';

/** What Tocsin tells the app about the account it connected to. */
export interface AccountInfo {
  subdomain: string;
  name: string;
}

/**
 * The account the install flow reports: the subdomain is the first label of TOCSIN_BASE_URL's host (the
 * host itself when it has one label), the name is TOCSIN_ACCOUNT_NAME or that subdomain.
 */
export function accountInfo(baseUrl: string, accountName?: string): AccountInfo {
  const host = new URL(baseUrl).hostname;
  const subdomain = /^[\d.]+$/.test(host) || host.startsWith('[') ? host : (host.split('.')[0] ?? host);
  return { subdomain, name: accountName?.trim() || subdomain };
}

/**
 * Whether a redirect URL fits one of the app's redirect URIs. Origin and path must be equal; the query may
 * differ, because apps put their `state` in it (healthchecks does).
 */
export function installRedirectAllowed(app: OAuthApp, redirectUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    return false;
  }
  if (url.hash !== '') return false;
  return app.redirectUris.some((allowed) => {
    const a = new URL(allowed);
    return a.origin === url.origin && a.pathname === url.pathname;
  });
}

/** Why a service cannot be picked, or null when it can (the user's permission is checked apart). */
export function serviceUnselectableReason(service: InstallServiceRow): string | null {
  if (service.status === 'disabled') return 'The service is disabled';
  if (service.alert_creation !== 'create_alerts_and_incidents')
    return 'The service does not create alerts and incidents';
  return null;
}

/** The integration keys and account of a finished install, as notes §5 gives the `config` parameter. */
export interface InstallConfig {
  integration_keys: { integration_key: string; name: string; id: string; type: 'service' }[];
  account: AccountInfo;
}

/** `redirect_url` with `config` (and `state`, when given and not already there) added to its query. */
export function installRedirect(redirectUrl: string, config: InstallConfig, state?: string): string {
  const url = new URL(redirectUrl);
  if (state !== undefined && state !== '' && !url.searchParams.has('state'))
    url.searchParams.set('state', state);
  url.searchParams.set('config', JSON.stringify(config));
  return url.toString();
}
