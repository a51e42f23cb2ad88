import { hostname } from 'node:os';
import { parseOptions, UsageError, type CliIo } from './cli-io.js';
import { connectionFrom, errorMessage, request } from './http-client.js';

/** Usage of `tocsin send`. */
export const SEND_USAGE = `Usage: tocsin send -k <routing key> [-t trigger|acknowledge|resolve] [-d <dedup key>]
                   [-s <summary>] [--source <source>] [--severity critical|error|warning|info]
                   [--component <c>] [--group <g>] [--class <c>] [-f <field>=<value> ...]

Sends one Events API v2 event (POST /v2/enqueue, like PagerDuty's pd-send) and prints the answer.
  -k, --routing-key   the integration key (required)
  -t, --event-action  trigger (default), acknowledge or resolve
  -d, --dedup-key     the alert's dedup key (required to acknowledge or resolve)
  -s, --summary       the alert's summary (required to trigger)
      --source        where it happened (default: this host's name)
      --severity      critical, error (default), warning or info
  -f, --field         a custom detail as name=value; repeat for more
      --url           the server (default $TOCSIN_URL or http://localhost:8080)
Exit code 0 when the event was accepted (202), 1 otherwise.
`;

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'routing-key': { type: 'string', short: 'k' },
  'event-action': { type: 'string', short: 't' },
  'dedup-key': { type: 'string', short: 'd' },
  summary: { type: 'string', short: 's' },
  source: { type: 'string' },
  severity: { type: 'string' },
  component: { type: 'string' },
  group: { type: 'string' },
  class: { type: 'string' },
  field: { type: 'string', short: 'f', multiple: true },
} as const;

function customDetails(fields: string[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const field of fields) {
    const at = field.indexOf('=');
    if (at <= 0) throw new UsageError(`-f takes name=value (got "${field}")`, SEND_USAGE);
    details[field.slice(0, at)] = field.slice(at + 1);
  }
  return details;
}

type SendValues = ReturnType<typeof parseOptions<typeof options>>;

/** Builds the Events API v2 body from the options, refusing what the server would reject. */
function eventBody(values: SendValues): Record<string, unknown> {
  const key = values['routing-key'];
  if (!key) throw new UsageError('send needs -k <routing key>', SEND_USAGE);
  const action = values['event-action'] ?? 'trigger';
  if (!ACTIONS.includes(action))
    throw new UsageError(`-t must be one of ${ACTIONS.join(', ')} (got "${action}")`, SEND_USAGE);
  const dedupKey = values['dedup-key'];
  const body: Record<string, unknown> = { routing_key: key, event_action: action };
  if (dedupKey !== undefined) body.dedup_key = dedupKey;
  if (action !== 'trigger') {
    if (!dedupKey) throw new UsageError(`-t ${action} needs -d <dedup key>`, SEND_USAGE);
    return body;
  }
  if (!values.summary) throw new UsageError('a trigger needs -s <summary>', SEND_USAGE);
  const severity = values.severity ?? 'error';
  if (!SEVERITIES.includes(severity))
    throw new UsageError(
      `--severity must be one of ${SEVERITIES.join(', ')} (got "${severity}")`,
      SEND_USAGE,
    );
  const payload: Record<string, unknown> = {
    summary: values.summary,
    source: values.source ?? hostname(),
    severity,
  };
  if (values.component !== undefined) payload.component = values.component;
  if (values.group !== undefined) payload.group = values.group;
  if (values.class !== undefined) payload.class = values.class;
  if (values.field?.length) payload.custom_details = customDetails(values.field);
  body.payload = payload;
  body.client = 'tocsin send';
  return body;
}

/** `tocsin send`: posts one Events API v2 event and prints the server's JSON answer. */
export async function sendCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const values = parseOptions(args, options, SEND_USAGE);
  if (values.help) {
    io.stdout.write(SEND_USAGE);
    return 0;
  }
  const body = eventBody(values);
  const connection = connectionFrom(values, env, SEND_USAGE);
  const response = await request(connection, 'POST', '/v2/enqueue', { body, auth: false });
  io.stdout.write(`${typeof response.body === 'string' ? response.body : JSON.stringify(response.body)}\n`);
  if (response.status === 202) return 0;
  io.stderr.write(`tocsin: event not accepted: ${errorMessage(response)}\n`);
  return 1;
}
