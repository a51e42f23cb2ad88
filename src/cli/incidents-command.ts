import { connectionOptions, parseOptions, UsageError, type CliIo } from './cli-io.js';
import { connectionFrom, listAll } from './http-client.js';
import { formatTable, truncate } from './table.js';

/** Usage of `tocsin incidents`. */
export const INCIDENTS_USAGE = `Usage: tocsin incidents [--status triggered,acknowledged,resolved] [--service <service id>[,…]]

Lists incidents (the server's default window: the last month), filtered by status and service.
Options: --url <url> (default $TOCSIN_URL or http://localhost:8080), --token <token> (default $TOCSIN_TOKEN)
`;

const STATUSES = ['triggered', 'acknowledged', 'resolved'];

interface IncidentBody {
  incident_number: number;
  status: string;
  urgency: string;
  title: string;
  service?: { summary?: string; id?: string };
}

/** Splits repeated and comma-separated option values into one list. */
function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** `tocsin incidents`: lists incidents as a table (number, status, urgency, title, service). */
export async function incidentsCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const values = parseOptions(
    args,
    {
      ...connectionOptions,
      status: { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
    },
    INCIDENTS_USAGE,
  );
  if (values.help) {
    io.stdout.write(INCIDENTS_USAGE);
    return 0;
  }
  const query = new URLSearchParams();
  for (const status of list(values.status)) {
    if (!STATUSES.includes(status))
      throw new UsageError(`--status takes ${STATUSES.join(', ')} (got "${status}")`, INCIDENTS_USAGE);
    query.append('statuses[]', status);
  }
  for (const service of list(values.service)) query.append('service_ids[]', service);
  const connection = connectionFrom(values, env, INCIDENTS_USAGE);
  const incidents = await listAll<IncidentBody>(
    connection,
    '/api/v2/incidents',
    'incidents',
    query,
    INCIDENTS_USAGE,
  );
  if (incidents.length === 0) {
    io.stdout.write('No incidents.\n');
    return 0;
  }
  const rows = incidents.map((i) => [
    `#${i.incident_number}`,
    i.status,
    i.urgency,
    truncate(i.title, 60),
    i.service?.summary ?? i.service?.id ?? '',
  ]);
  io.stdout.write(formatTable(['NUMBER', 'STATUS', 'URGENCY', 'TITLE', 'SERVICE'], rows));
  return 0;
}
