import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { acknowledgeIncident, loadIncidentState, resolveIncident } from '../incidents/transitions.js';
import { findActionToken, useActionToken } from './action-tokens.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

const verbs = { acknowledge: 'Acknowledge', resolve: 'Resolve' } as const;
const done = { acknowledge: 'acknowledged', resolve: 'resolved' } as const;

/**
 * Action links from messages (`/actions/<token>`; the token is the credential). GET shows what the
 * link will do and a button (mail scanners and link previews fetch GETs, so a GET never acts); POST
 * uses the token once and acts through the same transitions as the REST API, with the person as the
 * agent and the message's channel on the log entry. An incident that already changed answers with
 * its current state.
 */
export function actionRoutes(deps: DomainRoutesDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const describe = async (token: string) =>
      deps.store.transaction(async (tx) => {
        const row = await findActionToken(tx, token);
        if (!row) return undefined;
        const [incident] = await tx.raw.all<{ incident_number: number; title: string; status: string }>(
          `SELECT incident_number, title, status FROM incidents WHERE id = ?`,
          [row.incident_id],
        );
        return incident && { row, incident };
      });

    app.get<{ Params: { token: string } }>('/actions/:token', async (request, reply) => {
      const found = await describe(request.params.token);
      if (!found) return page(reply, 404, 'Link not valid', '<p>This link is not valid.</p>');
      const { row, incident } = found;
      const name = `#${incident.incident_number} ${incident.title}`;
      if (row.used_at !== null || row.expires_at <= deps.clock.now().toISOString())
        return page(
          reply,
          410,
          'Link no longer valid',
          `<p>This link was used or has expired. Incident ${escapeHtml(name)} is ${incident.status}.</p>`,
        );
      const verb = verbs[row.action as keyof typeof verbs];
      return page(
        reply,
        200,
        `${verb} incident ${name}?`,
        `<p>The incident is ${incident.status}.</p><form method="post"><button type="submit">${verb}</button></form>`,
      );
    });

    app.post<{ Params: { token: string } }>('/actions/:token', async (request, reply) => {
      const at = deps.clock.now().toISOString();
      const result = await deps.store.transaction(async (tx) => {
        const row = await findActionToken(tx, request.params.token);
        if (!row) return { status: 404, title: 'Link not valid', text: 'This link is not valid.' };
        const [user] = await tx.raw.all<{ id: string; name: string }>(
          `SELECT id, name FROM users WHERE id = ? AND deleted_at IS NULL`,
          [row.user_id],
        );
        if (!user || !(await useActionToken(tx, row.id, at)))
          return { status: 410, title: 'Link no longer valid', text: 'This link was used or has expired.' };
        await tx.raw.run(`UPDATE incidents SET updated_at = updated_at WHERE id = ?`, [row.incident_id]);
        const state = (await loadIncidentState(tx, row.incident_id))!;
        const agent = { id: user.id, type: 'user_reference', summary: user.name };
        const channel = { type: row.channel };
        const changed =
          row.action === 'acknowledge'
            ? await acknowledgeIncident(tx, state, agent, channel, at)
            : await resolveIncident(tx, state, agent, channel, at);
        const now = (await loadIncidentState(tx, row.incident_id))!.status;
        return changed
          ? {
              status: 200,
              title: `Incident ${done[row.action as keyof typeof done]}`,
              text: `Done: the incident is ${now}.`,
            }
          : { status: 200, title: 'Nothing to do', text: `The incident is already ${now}.` };
      });
      deps.poke();
      return page(reply, result.status, result.title, `<p>${escapeHtml(result.text)}</p>`);
    });
  };
}
