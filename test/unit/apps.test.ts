import { describe, expect, it } from 'vitest';
import { accountInfo, installRedirect, installRedirectAllowed } from '../../src/apps/install.js';
import type { OAuthApp } from '../../src/apps/oauth-app.js';
import { validateAppInput } from '../../src/apps/oauth-app.js';
import { parseScopes, resourceOf, scopeAllows } from '../../src/apps/scopes.js';

const app: OAuthApp = {
  id: 'PAPP001',
  name: 'Monitor',
  description: null,
  clientId: 'tci_x',
  clientType: 'confidential',
  redirectUris: ['https://hc.example.com/integrations/add_pagerduty/'],
  scopes: ['read'],
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-05T09:00:00.000Z',
};

describe('OAuth scopes', () => {
  it('names the resource by the first path segment under /api/v2', () => {
    expect(resourceOf('/api/v2/incidents/P1/notes?limit=5')).toBe('incidents');
    expect(resourceOf('/api/v2/users/me')).toBe('users');
    expect(resourceOf('/api/v2')).toBe('');
  });

  it('lets read read, write do everything, and resource scopes only their resource', () => {
    expect(scopeAllows(['read'], 'GET', '/api/v2/services')).toBe(true);
    expect(scopeAllows(['read'], 'POST', '/api/v2/services')).toBe(false);
    expect(scopeAllows(['write'], 'DELETE', '/api/v2/services/P1')).toBe(true);
    expect(scopeAllows(['incidents.read'], 'GET', '/api/v2/incidents/P1')).toBe(true);
    expect(scopeAllows(['incidents.read'], 'PUT', '/api/v2/incidents/P1')).toBe(false);
    expect(scopeAllows(['incidents.write'], 'GET', '/api/v2/incidents')).toBe(true);
    expect(scopeAllows(['incidents.write'], 'POST', '/api/v2/incidents/P1/notes')).toBe(true);
    expect(scopeAllows(['incidents.write'], 'GET', '/api/v2/services')).toBe(false);
  });

  it('closes apps, sessions, tokens, consent and install to every OAuth token', () => {
    for (const path of [
      '/api/v2/oauth_apps',
      '/api/v2/session',
      '/api/v2/api_tokens',
      '/api/v2/install/integration',
    ])
      expect(scopeAllows(['read', 'write'], 'GET', path), path).toBe(false);
  });

  it('splits scope strings on any whitespace without repeats', () => {
    expect(parseScopes(' read  incidents.write read ')).toEqual(['read', 'incidents.write']);
    expect(parseScopes(undefined)).toEqual([]);
  });
});

describe('registered app input', () => {
  it('defaults to a confidential app that may read', () => {
    const settings = validateAppInput({ name: ' X ', redirect_uris: ['http://localhost:3000/cb'] });
    expect(settings).toEqual({
      name: 'X',
      description: null,
      clientType: 'confidential',
      redirectUris: ['http://localhost:3000/cb'],
      scopes: ['read'],
    });
  });

  it('refuses plain-http redirects to other hosts, fragments and a client type change', () => {
    const current = validateAppInput({ name: 'X', redirect_uris: ['https://a.example/cb'] });
    expect(() => validateAppInput({ redirect_uris: ['http://a.example/cb'] }, current)).toThrow();
    expect(() => validateAppInput({ redirect_uris: ['https://a.example/cb#x'] }, current)).toThrow();
    expect(() => validateAppInput({ client_type: 'public' }, current)).toThrow();
  });
});

describe('install flow helpers', () => {
  it('matches redirect URLs by origin and path, letting the query differ', () => {
    expect(installRedirectAllowed(app, 'https://hc.example.com/integrations/add_pagerduty/?state=abc')).toBe(
      true,
    );
    expect(installRedirectAllowed(app, 'https://hc.example.com/integrations/other/')).toBe(false);
    expect(installRedirectAllowed(app, 'http://hc.example.com/integrations/add_pagerduty/')).toBe(false);
    expect(installRedirectAllowed(app, 'not a url')).toBe(false);
  });

  it('adds config to the redirect, keeping its query and adding state only when missing', () => {
    const config = { integration_keys: [], account: { subdomain: 'oncall', name: 'Acme' } };
    const url = new URL(installRedirect('https://hc.example.com/cb?state=abc', config, 'other'));
    expect(url.searchParams.get('state')).toBe('abc');
    expect(JSON.parse(url.searchParams.get('config')!)).toEqual(config);
    expect(
      new URL(installRedirect('https://hc.example.com/cb', config, 's1')).searchParams.get('state'),
    ).toBe('s1');
  });

  it('takes the subdomain from the base URL host and the name from the setting', () => {
    expect(accountInfo('https://oncall.example.com')).toEqual({ subdomain: 'oncall', name: 'oncall' });
    expect(accountInfo('https://oncall.example.com', 'Acme')).toEqual({ subdomain: 'oncall', name: 'Acme' });
    expect(accountInfo('http://10.0.0.5:8080')).toEqual({ subdomain: '10.0.0.5', name: '10.0.0.5' });
  });
});
