import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listEnvelope, pagination } from '../http/rest.js';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import * as reads from './incident-reads.js';
import { snoozeIncident, updateIncidents } from './incident-service.js';
import { incidentWindow, parseIncidentSort, parseTime } from './incident-window.js';
import { presentAlert, presentIncident, presentLogEntry } from './presenters.js';
import * as schemas from './route-schemas.js';
import { alertWriteRoutes } from './alert-routes.js';
import { notesRoutes } from './notes-routes.js';
import { incidentWriteRoutes } from './write-routes.js';
import { prioritiesRoutes } from '../priorities/routes.js';
import { checkTimeZone, inTimeZone } from './time-zone.js';
import { expandIncludes } from './incident-includes.js';

/** What the incident routes need. */
export type IncidentsRoutesDeps = DomainRoutesDeps;

function optionalTime(name: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseTime(name, value);
}

/** REST v2: incidents (list, get, acknowledge/resolve one or many), their alerts and log entries. */
export function incidentsRoutes(deps: IncidentsRoutesDeps) {
  const { store, clock, links } = deps;
  const incident = (v: reads.IncidentView) => presentIncident(links, v);

  return async function plugin(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    await app.register(incidentWriteRoutes(deps));
    await app.register(notesRoutes(deps));
    await app.register(alertWriteRoutes(deps));
    await app.register(prioritiesRoutes(deps));

    app.get('/incidents', { schema: { querystring: schemas.ListIncidentsQuery } }, async (request) => {
      const q = request.query;
      const page = pagination(q);
      const zone = checkTimeZone(q.time_zone);
      const window = incidentWindow({ since: q.since, until: q.until, dateRange: q.date_range }, clock.now());
      const filter = {
        statuses: q['statuses[]'],
        serviceIds: q['service_ids[]'],
        urgencies: q['urgencies[]'],
        userIds: q['user_ids[]'],
        teamIds: q['team_ids[]'],
        incidentKey: q.incident_key,
        ...window,
      };
      const listed = await reads.listIncidents(store.db, filter, parseIncidentSort(q.sort_by), page);
      const items = await expandIncludes(deps, request.actor, listed.items.map(incident), q['include[]']);
      return inTimeZone(listEnvelope('incidents', items, page, listed.total), zone);
    });

    app.get(
      '/incidents/:id',
      { schema: { params: schemas.IncidentParams, querystring: schemas.GetIncidentQuery } },
      async (request) => {
        const view = incident(await reads.getIncident(store.db, request.params.id));
        const [expanded] = await expandIncludes(deps, request.actor, [view], request.query['include[]']);
        return { incident: expanded };
      },
    );

    app.put(
      '/incidents/:id',
      { schema: { params: schemas.IncidentParams, body: schemas.UpdateIncidentBody } },
      async (request) => {
        const update = { ...request.body.incident, id: request.params.id };
        const [updated] = await updateIncidents(deps, request.actor, request.headers.from, [update]);
        deps.poke();
        return { incident: incident(updated!) };
      },
    );

    app.put('/incidents', { schema: { body: schemas.UpdateIncidentsBody } }, async (request) => {
      const updated = await updateIncidents(
        deps,
        request.actor,
        request.headers.from,
        request.body.incidents,
      );
      deps.poke();
      return { incidents: updated.map(incident), limit: updated.length, offset: 0, more: false, total: null };
    });

    app.post(
      '/incidents/:id/snooze',
      { schema: { params: schemas.IncidentParams, body: schemas.SnoozeBody } },
      async (request) => {
        const { id } = request.params;
        const view = await snoozeIncident(
          deps,
          request.actor,
          request.headers.from,
          id,
          request.body.duration,
        );
        return { incident: incident(view) };
      },
    );

    app.get(
      '/incidents/:id/alerts',
      { schema: { params: schemas.IncidentParams, querystring: schemas.ListAlertsQuery } },
      async (request) => {
        const q = request.query;
        const page = pagination(q);
        const filter = { statuses: q['statuses[]'], alertKey: q.alert_key };
        const [key, direction] = (q.sort_by ?? 'created_at').split(':') as [
          'created_at' | 'resolved_at',
          'asc' | 'desc' | undefined,
        ];
        const sort = { key, direction: direction ?? 'asc' };
        const listed = await reads.listAlerts(store.db, request.params.id, filter, page, sort);
        const alerts = listed.items.map((v) => presentAlert(links, v.row, v.firstTrigger));
        return listEnvelope('alerts', alerts, page, listed.total);
      },
    );

    app.get(
      '/incidents/:id/alerts/:alert_id',
      { schema: { params: schemas.AlertParams } },
      async (request) => {
        const view = await reads.getAlert(store.db, request.params.id, request.params.alert_id);
        return { alert: presentAlert(links, view.row, view.firstTrigger) };
      },
    );

    app.get(
      '/incidents/:id/log_entries',
      { schema: { params: schemas.IncidentParams, querystring: schemas.ListLogEntriesQuery } },
      async (request) => {
        const q = request.query;
        const page = pagination(q);
        const filter = {
          incident: request.params.id,
          since: optionalTime('since', q.since),
          until: optionalTime('until', q.until),
          overview: q.is_overview === true,
          teamIds: q['team_ids[]'],
        };
        const listed = await reads.listLogEntries(store.db, filter, page);
        const entries = listed.items.map((row) => presentLogEntry(links, row));
        return inTimeZone(
          listEnvelope('log_entries', entries, page, listed.total),
          checkTimeZone(q.time_zone),
        );
      },
    );

    app.get('/log_entries', { schema: { querystring: schemas.ListLogEntriesQuery } }, async (request) => {
      const q = request.query;
      const page = pagination(q);
      const filter = {
        since: optionalTime('since', q.since),
        until: optionalTime('until', q.until),
        overview: q.is_overview === true,
        teamIds: q['team_ids[]'],
      };
      const listed = await reads.listLogEntries(store.db, filter, page);
      const entries = listed.items.map((row) => presentLogEntry(links, row));
      return inTimeZone(listEnvelope('log_entries', entries, page, listed.total), checkTimeZone(q.time_zone));
    });

    app.get('/log_entries/:id', { schema: { params: schemas.IncidentParams } }, async (request) => ({
      log_entry: presentLogEntry(links, await reads.getLogEntry(store.db, request.params.id)),
    }));
  };
}
