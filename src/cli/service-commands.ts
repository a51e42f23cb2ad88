import { connectionOptions, parseOptions, UsageError, type CliIo, runSubcommand } from './cli-io.js';
import { connectionFrom, listAll, restCall } from './http-client.js';
import { formatTable } from './table.js';

/** Usage of `tocsin service`. */
export const SERVICE_USAGE = `Usage:
  tocsin service create --name <name> [--description <text>] [--urgency high|low|severity_based]
  tocsin service list

Options: --url <url> (default $TOCSIN_URL or http://localhost:8080), --token <token> (default $TOCSIN_TOKEN)
`;

interface ServiceBody {
  id: string;
  name: string;
  status: string;
}

const URGENCIES = ['high', 'low', 'severity_based'];

async function create(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const values = parseOptions(
    args,
    {
      ...connectionOptions,
      name: { type: 'string' },
      description: { type: 'string' },
      urgency: { type: 'string' },
    },
    SERVICE_USAGE,
  );
  if (values.help) return help(io);
  if (!values.name) throw new UsageError('service create needs --name', SERVICE_USAGE);
  if (values.urgency !== undefined && !URGENCIES.includes(values.urgency))
    throw new UsageError(`--urgency must be one of ${URGENCIES.join(', ')}`, SERVICE_USAGE);
  const service: Record<string, unknown> = { type: 'service', name: values.name };
  if (values.description !== undefined) service.description = values.description;
  if (values.urgency !== undefined)
    service.incident_urgency_rule = { type: 'constant', urgency: values.urgency };
  const connection = connectionFrom(values, env, SERVICE_USAGE);
  const body = await restCall<{ service: ServiceBody }>(
    connection,
    'POST',
    '/api/v2/services',
    SERVICE_USAGE,
    {
      service,
    },
  );
  io.stdout.write(`id:    ${body.service.id}\nname:  ${body.service.name}\n`);
  return 0;
}

async function list(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const values = parseOptions(args, connectionOptions, SERVICE_USAGE);
  if (values.help) return help(io);
  const connection = connectionFrom(values, env, SERVICE_USAGE);
  const services = await listAll<ServiceBody>(
    connection,
    '/api/v2/services',
    'services',
    new URLSearchParams(),
    SERVICE_USAGE,
  );
  if (services.length === 0) io.stdout.write('No services.\n');
  else
    io.stdout.write(
      formatTable(
        ['ID', 'NAME', 'STATUS'],
        services.map((s) => [s.id, s.name, s.status]),
      ),
    );
  return 0;
}

function help(io: CliIo): number {
  io.stdout.write(SERVICE_USAGE);
  return 0;
}

/** `tocsin service create|list`: creates or lists services through the REST API. */
export function serviceCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return runSubcommand('service', args, { create, list }, SERVICE_USAGE, env, io);
}
