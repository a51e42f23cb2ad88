import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/*
 * PagerDuty's OpenAPI documents are a test oracle we may read but not vendor (no LICENSE upstream), so
 * they are read in place from ../shared/reference/pagerduty-openapi/ and never copied into this repo.
 */

/** The repository root (this file lives in test/harness/). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A path under the shared folder next to the repository (`../shared/...`). */
export function sharedPath(...parts: string[]): string {
  return path.resolve(repoRoot, '../shared', ...parts);
}

/**
 * Whether shared test material exists. When it does not, prints why the caller's tests are skipped and
 * returns false; under TOCSIN_CI=1 it throws instead, because CI must never skip them silently.
 */
export function requireShared(what: string, file: string): boolean {
  if (existsSync(file)) return true;
  const reason = `${what} not found at ${file}`;
  if (process.env.TOCSIN_CI === '1')
    throw new Error(`TOCSIN_CI=1 but ${reason}: these tests cannot be skipped`);
  console.warn(`[tocsin tests] ${reason}: skipping the tests that need it`);
  return false;
}

/** The OpenAPI documents PagerDuty publishes. */
export type OpenApiDoc = 'rest' | 'events-v2' | 'events-v1';

const files: Record<OpenApiDoc, string> = {
  rest: 'REST.openapiv3.json',
  'events-v2': 'events-v2.openapiv3.json',
  'events-v1': 'events-v1.openapiv3.json',
};

const docPath = (doc: OpenApiDoc) => sharedPath('reference/pagerduty-openapi', files[doc]);

/** True when all three OpenAPI documents are present. */
export function openApiAvailable(): boolean {
  return (Object.keys(files) as OpenApiDoc[]).every((doc) => existsSync(docPath(doc)));
}

/**
 * For `describe.skipIf(!requireOpenApi())`: false, with the reason printed, when a document is missing;
 * throws instead under TOCSIN_CI=1.
 */
export function requireOpenApi(): boolean {
  return (Object.keys(files) as OpenApiDoc[]).every((doc) =>
    requireShared(`PagerDuty's OpenAPI document ${doc}`, docPath(doc)),
  );
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface LoadedDoc {
  id: string;
  root: Json;
  ajv: Ajv;
  /** Base paths requests carry in front of the document's paths (`/v2`, `/generic/2010-04-15`, `/api/v2`). */
  prefixes: string[];
}

const loaded = new Map<OpenApiDoc, LoadedDoc>();
const validators = new Map<string, ValidateFunction | null>();

/**
 * OpenAPI 3.0 → JSON Schema (a converted copy): `nullable: true` becomes a type array, or `anyOf` with
 * null where there is no `type` (Ajv accepts `nullable` only next to `type`). Local `#/components/...`
 * refs stay as they are: they resolve against the whole document, which Ajv holds under its id.
 */
function toJsonSchema(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item));
  if (!isJson(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    // Example values are data, not schemas (unless a property happens to be named so).
    if (!inProperties && (key === 'example' || key === 'examples')) out[key] = value;
    else out[key] = toJsonSchema(value, !inProperties && key === 'properties');
  }
  if (typeof out.nullable !== 'boolean') return out;
  const nullable = out.nullable;
  delete out.nullable;
  if (!nullable) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  if (Array.isArray(out.type)) return out;
  return { anyOf: [out, { type: 'null' }] };
}

function collectFormats(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectFormats(item, into);
  else if (isJson(node))
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') into.add(value);
      else if (key !== 'example' && key !== 'examples') collectFormats(value, into);
    }
}

function load(doc: OpenApiDoc): LoadedDoc {
  const cached = loaded.get(doc);
  if (cached) return cached;
  const file = docPath(doc);
  if (!existsSync(file)) throw new Error(`OpenAPI document ${doc} not found at ${file}`);
  const id = `https://tocsin.test/openapi/${doc}.json`;
  const root = toJsonSchema(JSON.parse(readFileSync(file, 'utf8'))) as Json;
  // Ajv ignores the OpenAPI-only keywords (discriminator, readOnly, xml, x-…) when strict is off.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormatsModule.default(ajv);
  // ajv-formats' `time` demands an offset; PagerDuty uses local times such as support hours' "09:00:00".
  ajv.addFormat('time', /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i);
  const formats = new Set<string>();
  collectFormats(root, formats);
  // Formats JSON Schema does not define (url, float, tzinfo, TEXTAREA, …) accept anything.
  for (const format of formats) if (!ajv.formats[format]) ajv.addFormat(format, true);
  ajv.addSchema(root, id);
  const servers = Array.isArray(root.servers) ? (root.servers as unknown[]) : [];
  const prefixes = servers
    .map((s) => (isJson(s) && typeof s.url === 'string' ? new URL(s.url).pathname.replace(/\/+$/, '') : ''))
    .filter((p) => p !== '');
  if (doc === 'rest') prefixes.push('/api/v2');
  const result = { id, root, ajv, prefixes };
  loaded.set(doc, result);
  return result;
}

/** A JSON pointer segment escaped for a URI fragment: `/incidents/{id}` → `~1incidents~1%7Bid%7D`. */
const segment = (name: string) => encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'));

/** Follows a JSON pointer (`#/components/...`, with or without the document id in front). */
function at(loadedDoc: LoadedDoc, ref: string): { node: unknown; pointer: string } {
  const pointer = ref.slice(ref.indexOf('#') + 1);
  let node: unknown = loadedDoc.root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isJson(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
  }
  return { node, pointer };
}

/** Finds the document path for a request path: exact, after stripping a base path, or by template. */
function findPath(loadedDoc: LoadedDoc, requestPath: string): string | undefined {
  const paths = loadedDoc.root.paths as Json;
  const bare = requestPath.split('?')[0]!.replace(/\/+$/, '') || '/';
  const candidates = [bare];
  for (const prefix of loadedDoc.prefixes)
    if (bare.startsWith(prefix + '/')) candidates.push(bare.slice(prefix.length));
  for (const candidate of candidates) if (candidate in paths) return candidate;
  let best: { path: string; literals: number } | undefined;
  for (const candidate of candidates) {
    const segments = candidate.split('/');
    for (const template of Object.keys(paths)) {
      const parts = template.split('/');
      if (parts.length !== segments.length) continue;
      let literals = 0;
      const matches = parts.every((part, i) => {
        if (/^\{[^}]+\}$/.test(part)) return segments[i] !== '';
        literals++;
        return part === segments[i];
      });
      if (matches && (!best || literals > best.literals)) best = { path: template, literals };
    }
  }
  return best?.path;
}

/** Resolves a response object (following `$ref`s) to the pointer of its JSON schema, if it has one. */
function responseSchemaPointer(loadedDoc: LoadedDoc, pointer: string): string | undefined {
  let current = at(loadedDoc, pointer);
  for (let hops = 0; isJson(current.node) && typeof current.node.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`$ref loop at ${pointer}`);
    current = at(loadedDoc, current.node.$ref);
  }
  const response = current.node;
  if (!isJson(response) || !isJson(response.content)) return undefined;
  const types = Object.keys(response.content);
  const type = types.find((t) => t === 'application/json') ?? types.find((t) => /[/+]json\b/.test(t));
  if (type === undefined || !isJson(response.content[type]) || !('schema' in response.content[type]))
    return undefined;
  return `${current.pointer}/content/${segment(type)}/schema`;
}

function validatorFor(loadedDoc: LoadedDoc, key: string, schemaPointer: string | undefined) {
  let validate = validators.get(key);
  if (validate === undefined) {
    validate =
      schemaPointer === undefined
        ? null
        : loadedDoc.ajv.compile({ $ref: `${loadedDoc.id}#${schemaPointer}` });
    validators.set(key, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) =>
      `${e.instancePath === '' ? '(body)' : e.instancePath} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/**
 * Validates a response body against what a PagerDuty OpenAPI document says `method path` answers with
 * `status`. Returns the problems found (empty when valid, or when the document gives that status no
 * schema). `path` may be the document's own (`/enqueue`, `/incidents/{id}`) or a concrete request path
 * (`/v2/enqueue`, `/api/v2/incidents/PABC123`). An undocumented status is reported as a problem.
 */
export function validateResponse(
  doc: OpenApiDoc,
  requestPath: string,
  method: string,
  status: number,
  body: unknown,
): string[] {
  const loadedDoc = load(doc);
  const docPathKey = findPath(loadedDoc, requestPath);
  if (docPathKey === undefined) throw new Error(`${doc} documents no path matching ${requestPath}`);
  const verb = method.toLowerCase();
  const operation = (loadedDoc.root.paths as Json)[docPathKey];
  if (!isJson(operation) || !isJson(operation[verb]))
    throw new Error(`${doc} documents no ${method.toUpperCase()} ${docPathKey}`);
  const responses = operation[verb].responses;
  const documented = isJson(responses) ? Object.keys(responses) : [];
  const code = String(status);
  const statusKey =
    documented.find((k) => k === code) ??
    documented.find((k) => k.toUpperCase() === `${code[0]}XX`) ??
    documented.find((k) => k === 'default');
  if (statusKey === undefined)
    return [
      `${method.toUpperCase()} ${docPathKey} does not document status ${status} (documented: ${documented.join(', ')})`,
    ];
  const responsePointer = `/paths/${segment(docPathKey)}/${verb}/responses/${segment(statusKey)}`;
  const key = `${doc} ${responsePointer}`;
  const validate = validatorFor(loadedDoc, key, responseSchemaPointer(loadedDoc, `#${responsePointer}`));
  if (validate === null || validate(body)) return [];
  return describeErrors(validate.errors);
}

/**
 * Validates a body against a named response of a document (`validateNamedResponse('events-v2', 'Error',
 * body)`): for statuses whose entry names a response only in its description, as events-v2's 400 does.
 */
export function validateNamedResponse(doc: OpenApiDoc, name: string, body: unknown): string[] {
  const loadedDoc = load(doc);
  const pointer = `/components/responses/${name}`;
  if (at(loadedDoc, `#${pointer}`).node === undefined)
    throw new Error(`${doc} has no response named ${name}`);
  const validate = validatorFor(
    loadedDoc,
    `${doc} ${pointer}`,
    responseSchemaPointer(loadedDoc, `#${pointer}`),
  );
  if (validate === null || validate(body)) return [];
  return describeErrors(validate.errors);
}
