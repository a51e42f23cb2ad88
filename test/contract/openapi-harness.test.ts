import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  requireOpenApi,
  requireShared,
  sharedPath,
  validateNamedResponse,
  validateResponse,
} from '../harness/openapi.js';

describe.skipIf(!requireOpenApi())('the OpenAPI response validator', () => {
  it('accepts the success body PagerDuty documents for /v2/enqueue', () => {
    const body = { status: 'success', message: 'Event processed', dedup_key: 'srv01/HTTP' };
    expect(validateResponse('events-v2', '/v2/enqueue', 'POST', 202, body)).toEqual([]);
    expect(validateResponse('events-v2', '/enqueue', 'post', 202, body)).toEqual([]);
  });

  it('rejects a success body of the wrong shape, naming the field', () => {
    const errors = validateResponse('events-v2', '/v2/enqueue', 'POST', 202, { dedup_key: 42 });
    expect(errors.join('\n')).toMatch(/status/);
    expect(errors.join('\n')).toMatch(/\/dedup_key must be string/);
    expect(validateResponse('events-v2', '/v2/enqueue', 'POST', 202, 'Event processed')).not.toEqual([]);
  });

  it('reports a status the document does not list for the operation', () => {
    expect(validateResponse('events-v2', '/v2/enqueue', 'POST', 418, {})).toEqual([
      'POST /enqueue does not document status 418 (documented: 202, 400, 429, 5XX)',
    ]);
  });

  it('matches 5xx statuses to the 5XX entry and v1 paths under /generic/2010-04-15', () => {
    expect(validateResponse('events-v2', '/v2/enqueue', 'POST', 503, { status: 'error' })).not.toEqual([]);
    expect(
      validateResponse('events-v2', '/v2/enqueue', 'POST', 503, { status: 'error', message: 'retry' }),
    ).toEqual([]);
    const ok = { status: 'success', message: 'Event processed', incident_key: 'srv01/HTTP' };
    expect(validateResponse('events-v1', '/generic/2010-04-15/create_event.json', 'POST', 200, ok)).toEqual(
      [],
    );
    expect(
      validateResponse('events-v1', '/generic/2010-04-15/create_event.json', 'POST', 200, {
        incident_key: 1,
      }),
    ).toHaveLength(2);
  });

  it('validates a named response when a status names it only in its description', () => {
    const error = {
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    };
    expect(validateResponse('events-v2', '/v2/enqueue', 'POST', 400, { anything: true })).toEqual([]);
    expect(validateNamedResponse('events-v2', 'Error', error)).toEqual([]);
    expect(
      validateNamedResponse('events-v2', 'Error', { status: 'invalid event', errors: [1] }),
    ).toHaveLength(2);
  });

  it('resolves $refs and nullable fields of the REST document and matches templated paths', () => {
    expect(validateResponse('rest', '/api/v2/incidents', 'GET', 200, { incidents: [] })).toEqual([]);
    expect(validateResponse('rest', '/api/v2/incidents', 'GET', 200, { incidents: [{ id: 7 }] })).toEqual([
      '/incidents/0/id must be string {"type":"string"}',
    ]);
    expect(validateResponse('rest', '/api/v2/incidents/PT4KHLK', 'GET', 200, {})).toEqual([
      `(body) must have required property 'incident' {"missingProperty":"incident"}`,
    ]);
    // User.description is `type: string, nullable: true`.
    const user = { type: 'user', name: 'Ada', email: 'ada@example.com' };
    expect(
      validateResponse('rest', '/api/v2/users/PXPGF42', 'GET', 200, { user: { ...user, description: null } }),
    ).toEqual([]);
    expect(
      validateResponse('rest', '/api/v2/users/PXPGF42', 'GET', 200, {
        user: { ...user, description: 5 },
      }).join('\n'),
    ).toMatch(/\/user\/description must be string,null/);
  });
});

describe('skipping tests whose shared files are missing', () => {
  const ci = process.env.TOCSIN_CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.TOCSIN_CI;
    else process.env.TOCSIN_CI = ci;
    vi.restoreAllMocks();
  });

  it('says why and lets the caller skip outside CI', () => {
    delete process.env.TOCSIN_CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireShared('Nothing', sharedPath('no-such-file.json'))).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Nothing not found at .*no-such-file\.json/));
  });

  it('refuses to skip under TOCSIN_CI=1', () => {
    process.env.TOCSIN_CI = '1';
    expect(() => requireShared('Nothing', sharedPath('no-such-file.json'))).toThrow(/TOCSIN_CI=1/);
  });

  it('finds the shared folder next to the repository', () => {
    expect(sharedPath('reference')).toMatch(/\/shared\/reference$/);
  });
});
