import type { AlertEvent, ParseResult, Severity } from './event.js';
import { isObject } from './fields.js';

/** ThousandEyes severities map to alert severities as seed 000 fixes them; the mapping is not editable. */
export const THOUSANDEYES_SEVERITY: Readonly<Record<string, Severity>> = {
  INFO: 'warning',
  MINOR: 'warning',
  MAJOR: 'error',
  CRITICAL: 'critical',
};

/** A classic notification without a severity pages as `error`, like a Major alert. */
const DEFAULT_SEVERITY: Severity = 'error';

/** A ThousandEyes delivery is an alert event or its webhook test. */
export type ThousandEyesResult = ParseResult<AlertEvent> | { ok: 'test' };

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function severityOf(value: unknown): Severity {
  return (typeof value === 'string' && THOUSANDEYES_SEVERITY[value.toUpperCase()]) || DEFAULT_SEVERITY;
}

function event(
  routingKey: string,
  action: 'trigger' | 'resolve',
  dedupKey: string,
  summary: string,
  source: string,
  severity: Severity,
  details: unknown,
  permalink: string | undefined,
): AlertEvent {
  return {
    kind: 'alert',
    via: 'thousandeyes',
    routingKey,
    action,
    dedupKey,
    payload:
      action === 'trigger'
        ? {
            summary: summary.slice(0, 1024),
            source,
            severity,
            timestamp: undefined,
            component: undefined,
            group: undefined,
            class: 'thousandeyes',
            customDetails: details,
          }
        : undefined,
    links: permalink ? [{ href: permalink, text: 'View in ThousandEyes' }] : [],
    images: [],
    client: 'ThousandEyes',
    clientUrl: permalink,
  };
}

/**
 * Reads a ThousandEyes classic webhook notification. Test alerts trigger and clear by `alert.alertId`;
 * agent alerts by `agentAlert.agentNotificationId`; `WEBHOOK_TEST` is acknowledged without an incident.
 */
export function parseThousandEyes(body: unknown, routingKey: string): ThousandEyesResult {
  if (!isObject(body) || typeof body.eventType !== 'string')
    return { ok: false, errors: ["'eventType' is missing"] };
  const type = body.eventType;
  if (type === 'WEBHOOK_TEST') return { ok: 'test' };
  const action = type.endsWith('_TRIGGER') ? 'trigger' : type.endsWith('_CLEAR') ? 'resolve' : undefined;
  if (action === undefined) return { ok: false, errors: [`'eventType' ${type} is not supported`] };
  if (type.startsWith('AGENT_ALERT_')) {
    const agent = body.agentAlert;
    const id = isObject(agent) ? text(agent.agentNotificationId) : undefined;
    if (!isObject(agent) || id === undefined)
      return { ok: false, errors: ["'agentAlert.agentNotificationId' is missing"] };
    const name = text(agent.agentName) ?? text(agent.hostname) ?? 'agent';
    const summary = `${text(agent.ruleName) ?? 'Agent alert'}: ${name} (${text(agent.ruleExpression) ?? ''})`;
    return {
      ok: true,
      event: event(
        routingKey,
        action,
        `agent-alert-${id}`,
        summary,
        text(agent.hostname) ?? name,
        severityOf(agent.severity),
        agent,
        undefined,
      ),
    };
  }
  const alert = body.alert;
  const id = isObject(alert) ? text(alert.alertId) : undefined;
  if (!isObject(alert) || id === undefined) return { ok: false, errors: ["'alert.alertId' is missing"] };
  const testName = text(alert.testName) ?? 'ThousandEyes test';
  const summary = `${text(alert.ruleName) ?? 'Alert'}: ${testName} (${text(alert.ruleExpression) ?? ''})`;
  return {
    ok: true,
    event: event(
      routingKey,
      action,
      id,
      summary,
      testName,
      severityOf(alert.severity),
      alert,
      text(alert.permalink),
    ),
  };
}
