import { connectionOptions, parseOptions, UsageError, type CliIo, runSubcommand } from './cli-io.js';
import { connectionFrom, restCall } from './http-client.js';
import type { IntegrationType } from '../services/integration.js';

/** Usage of `tocsin integration`. */
export const INTEGRATION_USAGE = `Usage:
  tocsin integration create --service <service id>
                            [--type events_api_v2|events_api_v1|thousandeyes|generic_json] [--name <name>]

Prints the new integration key and the URL to send events to. The type defaults to events_api_v2.
Options: --url <url> (default $TOCSIN_URL or http://localhost:8080), --token <token> (default $TOCSIN_TOKEN)
`;

/** Short type names and the integration types they stand for. */
export const INTEGRATION_TYPE_NAMES: Record<string, IntegrationType> = {
  events_api_v2: 'events_api_v2_inbound_integration',
  events_api_v1: 'generic_events_api_inbound_integration',
  thousandeyes: 'thousandeyes_webhook_inbound_integration',
  generic_json: 'generic_json_webhook_inbound_integration',
};

async function create(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const values = parseOptions(
    args,
    { ...connectionOptions, service: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' } },
    INTEGRATION_USAGE,
  );
  if (values.help) return help(io);
  if (!values.service)
    throw new UsageError('integration create needs --service <service id>', INTEGRATION_USAGE);
  const short = values.type ?? 'events_api_v2';
  // The full type names are accepted too, as they appear in the REST API.
  const type =
    INTEGRATION_TYPE_NAMES[short] ?? Object.values(INTEGRATION_TYPE_NAMES).find((t) => t === short);
  if (type === undefined)
    throw new UsageError(
      `--type must be one of ${Object.keys(INTEGRATION_TYPE_NAMES).join(', ')} (got "${short}")`,
      INTEGRATION_USAGE,
    );
  const integration: Record<string, unknown> = { type };
  if (values.name !== undefined) integration.name = values.name;
  const connection = connectionFrom(values, env, INTEGRATION_USAGE);
  const body = await restCall<{ integration: { id: string; integration_key?: string; events_url?: string } }>(
    connection,
    'POST',
    `/api/v2/services/${encodeURIComponent(values.service)}/integrations`,
    INTEGRATION_USAGE,
    { integration },
  );
  const created = body.integration;
  io.stdout.write(
    `id:              ${created.id}\nintegration_key: ${created.integration_key ?? '(none)'}\n` +
      `events_url:      ${created.events_url ?? '(none)'}\n`,
  );
  return 0;
}

function help(io: CliIo): number {
  io.stdout.write(INTEGRATION_USAGE);
  return 0;
}

/** `tocsin integration create`: adds an integration to a service and prints its key. */
export function integrationCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return runSubcommand('integration', args, { create }, INTEGRATION_USAGE, env, io);
}
