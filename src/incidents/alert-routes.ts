import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { updateAlerts } from './alert-service.js';
import { presentAlert } from './presenters.js';
import { AlertParams, IncidentParams } from './route-schemas.js';

const alertChange = {
  type: Type.Optional(Type.String()),
  status: Type.Optional(
    Type.Unsafe<'resolved' | 'triggered'>({ type: 'string', enum: ['resolved', 'triggered'] }),
  ),
  incident: Type.Optional(Type.Object({ id: Type.String({ minLength: 1 }) })),
};
const UpdateAlertBody = Type.Object({ alert: Type.Object(alertChange) });
const UpdateAlertsBody = Type.Object({
  alerts: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), ...alertChange }), { minItems: 1 }),
});

/** REST v2: `PUT /incidents/{id}/alerts/{alert_id}` and the bulk `PUT /incidents/{id}/alerts`. */
export function alertWriteRoutes(deps: DomainRoutesDeps) {
  return async function plugin(base: FastifyInstance): Promise<void> {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.put(
      '/incidents/:id/alerts/:alert_id',
      { schema: { params: AlertParams, body: UpdateAlertBody } },
      async (request) => {
        const { id, alert_id } = request.params;
        const update = { ...request.body.alert, id: alert_id };
        const [view] = await updateAlerts(deps, request.actor, request.headers.from, id, [update]);
        deps.poke();
        return { alert: presentAlert(deps.links, view!.row, view!.firstTrigger) };
      },
    );

    app.put(
      '/incidents/:id/alerts',
      { schema: { params: IncidentParams, body: UpdateAlertsBody } },
      async (request) => {
        const views = await updateAlerts(
          deps,
          request.actor,
          request.headers.from,
          request.params.id,
          request.body.alerts,
        );
        deps.poke();
        const alerts = views.map((v) => presentAlert(deps.links, v.row, v.firstTrigger));
        return { alerts, limit: alerts.length, offset: 0, more: false, total: null };
      },
    );
  };
}
