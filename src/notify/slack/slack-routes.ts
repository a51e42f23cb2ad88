import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import type { DomainRoutesDeps } from '../../http/routes-deps.js';
import { actFromSlack } from './slack-actions.js';
import { SLACK_ACTIONS } from './slack-blocks.js';
import { verifySlackSignature } from './slack-signature.js';

/** What the interactivity endpoint needs from the settings. */
export type SlackRouteSettings = Pick<Config, 'baseUrl'> &
  Partial<Pick<Config, 'slackApiUrl' | 'slackBotToken' | 'slackSigningSecret'>>;

interface BlockActions {
  type?: string;
  user?: { id?: string };
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string };
  message?: { ts?: string };
  actions?: { action_id?: string; value?: string }[];
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Slack's interactivity Request URL, `POST /slack/interactions` (no API token: the signature is the
 * credential). The signature is checked over the raw form body, so this plugin reads that content
 * type as a string (scoped to it). A click on Acknowledge or Resolve acts as the Tocsin user linked
 * to the clicking member; the change queues a `chat.update` of every Slack message about the incident
 * (the clicked one included) in its transaction, which the dispatcher sends (status shown, buttons that
 * no longer apply removed). The answer is an ephemeral-style reply (`replace_original: false`).
 */
export function slackRoutes(deps: DomainRoutesDeps, settings: SlackRouteSettings) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    if (app.hasContentTypeParser(FORM)) app.removeContentTypeParser(FORM);
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 1_048_576 }, (_request, body, done) =>
      done(null, body),
    );

    app.post('/slack/interactions', async (request, reply) => {
      const secret = settings.slackSigningSecret;
      if (!secret) return reply.code(404).send({ error: 'Slack is not configured' });
      const raw = typeof request.body === 'string' ? request.body : '';
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      // Slack signs with the real time, so freshness is checked against the real time too.
      const now = Math.floor(Date.now() / 1000);
      const signed = header('x-slack-signature');
      if (!verifySlackSignature(secret, header('x-slack-request-timestamp'), raw, signed, now))
        return reply.code(401).send({ error: 'invalid Slack signature' });
      let payload: BlockActions;
      try {
        payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? '') as BlockActions;
      } catch {
        return reply.code(400).send({ error: 'no interaction payload' });
      }
      const clicked = payload.actions?.[0];
      const action = SLACK_ACTIONS[clicked?.action_id as keyof typeof SLACK_ACTIONS] as
        'acknowledge' | 'resolve' | undefined;
      const memberId = payload.user?.id;
      // Other interactions (or other apps' buttons) are acknowledged and ignored.
      if (payload.type !== 'block_actions' || !action || !clicked?.value || !memberId)
        return reply.code(200).send();
      const at = deps.clock.now().toISOString();
      const result = await actFromSlack(deps, memberId, action, clicked.value, at, settings.baseUrl);
      const answer = (text: string) =>
        reply.code(200).send({ response_type: 'ephemeral', replace_original: false, text });
      if (result.kind === 'unknown_user')
        return answer(
          'Your Slack account is not linked to a Tocsin user, so nothing was changed. ' +
            'Add your Slack member ID as a Slack contact method in your Tocsin profile.',
        );
      if (result.kind === 'no_incident') return answer('That incident no longer exists.');
      // The updates of the incident's messages were queued with the change: send them now.
      deps.poke();
      const { incident, changed } = result;
      return answer(
        changed
          ? `Done: #${incident.number} is ${incident.status}.`
          : `Nothing to do: #${incident.number} is already ${incident.status}.`,
      );
    });
  };
}
