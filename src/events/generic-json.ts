import type { GenericJsonConfig } from '../services/integration.js';
import { SEVERITIES, type AlertEvent, type ParseResult, type Severity } from './event.js';
import { isObject } from './fields.js';

/** Reads a dot path (`alert.labels.name`, `items.0.title`) from a JSON value. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}

const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  p1: 'critical',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  warn: 'warning',
  minor: 'warning',
  medium: 'warning',
  p3: 'warning',
  information: 'info',
  informational: 'info',
  low: 'info',
  ok: 'info',
  p4: 'info',
  p5: 'info',
};

function severityOf(value: unknown): Severity {
  const name = typeof value === 'string' ? value.toLowerCase() : '';
  if ((SEVERITIES as readonly string[]).includes(name)) return name as Severity;
  return SEVERITY_ALIASES[name] ?? 'error';
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** Maps any JSON body to an alert event through the integration's configured field paths. */
export function parseGenericJson(
  body: unknown,
  routingKey: string,
  config: GenericJsonConfig,
): ParseResult<AlertEvent> {
  if (!isObject(body) && !Array.isArray(body))
    return { ok: false, errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const actionValue = config.action_path ? scalar(readPath(body, config.action_path)) : undefined;
  const action =
    actionValue !== undefined && config.resolve_values.includes(actionValue)
      ? 'resolve'
      : actionValue !== undefined && config.acknowledge_values.includes(actionValue)
        ? 'acknowledge'
        : 'trigger';
  const dedupKey = config.dedup_key_path ? scalar(readPath(body, config.dedup_key_path)) : undefined;
  if (dedupKey !== undefined && dedupKey.length > 255)
    errors.push(`'${config.dedup_key_path}' is too long for a dedup key (maximum is 255 characters)`);
  if (action !== 'trigger' && (dedupKey === undefined || dedupKey === '')) {
    errors.push(`a ${action} needs a dedup key at '${config.dedup_key_path ?? '(no path configured)'}'`);
  }
  const summary = scalar(readPath(body, config.summary_path));
  if (action === 'trigger' && (summary === undefined || summary.trim() === ''))
    errors.push(`no summary at '${config.summary_path}'`);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    event: {
      kind: 'alert',
      via: 'generic_json',
      routingKey,
      action,
      dedupKey: dedupKey === '' ? undefined : dedupKey,
      payload:
        action === 'trigger'
          ? {
              // Over-long summaries are cut, not rejected: this adapter's senders cannot adapt to our limits.
              summary: [...(summary ?? '')].slice(0, 1024).join(''),
              source:
                (config.source_path && scalar(readPath(body, config.source_path))) || 'generic JSON webhook',
              severity: severityOf(config.severity_path ? readPath(body, config.severity_path) : undefined),
              timestamp: undefined,
              component: undefined,
              group: undefined,
              class: undefined,
              customDetails: body,
            }
          : undefined,
      links: [],
      images: [],
      client: undefined,
      clientUrl: undefined,
    },
  };
}
