import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { openApiAvailable, requireOpenApi, validateNamedResponse, validateResponse } from './openapi.js';

let withOpenApi: boolean | undefined;

/**
 * Checks an Events API response: always JSON, and (when PagerDuty's documents are present) valid against
 * the operation's documented response and, for errors, the document's `Error` shape (400/403/429 carry a
 * description only).
 */
export function expectEventsContract(
  doc: 'events-v1' | 'events-v2',
  path: string,
  response: LightMyRequestResponse,
): void {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  withOpenApi ??= requireOpenApi();
  if (!withOpenApi || !openApiAvailable()) return;
  const body: unknown = response.json();
  expect(validateResponse(doc, path, 'POST', response.statusCode, body)).toEqual([]);
  if (response.statusCode >= 400) expect(validateNamedResponse(doc, 'Error', body)).toEqual([]);
}

/** PagerDuty's 400 body for an invalid event. */
export const invalidEvent = (errors: string[]) => ({
  status: 'invalid event',
  message: 'Event object is invalid',
  errors,
});
