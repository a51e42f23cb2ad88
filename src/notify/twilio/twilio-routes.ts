import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainRoutesDeps } from '../../http/routes-deps.js';
import { handleInboundSms } from './sms-inbound.js';
import { applyStatusCallback } from './status-callbacks.js';
import { validTwilioSignature, xml } from './twilio-signature.js';
import { callTwiml, gatherTwiml } from './voice-calls.js';

/** What Twilio's webhooks need: the domain deps, the public URL Twilio calls, and the auth token. */
export interface TwilioRoutesDeps extends DomainRoutesDeps {
  /** The public base URL (TOCSIN_BASE_URL): Twilio signs the full URL it requested. */
  baseUrl: string;
  authToken: string;
}

type Form = Record<string, string>;
type WebhookRequest = FastifyRequest<{ Body: Form; Querystring: { notification?: string } }>;

const twimlReply = (reply: FastifyReply, body: string) =>
  reply
    .type('text/xml; charset=utf-8')
    .send(body.startsWith('<?xml') ? body : `<?xml version="1.0" encoding="UTF-8"?>${body}`);

/**
 * Twilio's webhooks, at the root without an API token: inbound SMS (`/twilio/sms`), message and call
 * status callbacks (`/twilio/status`), a call's TwiML (`/twilio/voice`) and its keypresses
 * (`/twilio/voice/gather`). Each request must carry a valid `X-Twilio-Signature` over
 * `TOCSIN_BASE_URL + path and query` and its form parameters; anything else gets 403 and changes
 * nothing.
 */
export function twilioRoutes(deps: TwilioRoutesDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addHook('preHandler', async (request: FastifyRequest, reply) => {
      const params = (request.body ?? {}) as Form;
      const signature = request.headers['x-twilio-signature'];
      const url = `${deps.baseUrl}${request.url}`;
      if (
        !validTwilioSignature(
          deps.authToken,
          typeof signature === 'string' ? signature : undefined,
          url,
          params,
        )
      )
        return reply.code(403).type('text/plain').send('invalid Twilio signature');
    });
    const now = () => deps.clock.now().toISOString();

    app.post('/twilio/sms', async (request: WebhookRequest, reply) => {
      const { From: from = '', Body: body = '' } = request.body;
      const result = await deps.store.transaction((tx) => handleInboundSms(tx, from, body, now()));
      if (result.changed) deps.poke();
      return twimlReply(
        reply,
        result.reply === undefined
          ? '<Response/>'
          : `<Response><Message>${xml(result.reply)}</Message></Response>`,
      );
    });

    app.post('/twilio/status', async (request: WebhookRequest, reply) => {
      const id = request.query.notification;
      if (id) {
        const changed = await deps.store.transaction((tx) =>
          applyStatusCallback(tx, id, request.body, now()),
        );
        if (changed > 0) deps.poke();
      }
      return reply.code(204).send();
    });

    app.post('/twilio/voice', async (request: WebhookRequest, reply) => {
      const id = request.query.notification ?? '';
      return twimlReply(reply, await deps.store.transaction((tx) => callTwiml(tx, id)));
    });

    app.post('/twilio/voice/gather', async (request: WebhookRequest, reply) => {
      const id = request.query.notification ?? '';
      const result = await deps.store.transaction((tx) =>
        gatherTwiml(tx, id, request.body.Digits ?? '', now(), deps.fallbackEmails),
      );
      if (result.changed) deps.poke();
      return twimlReply(reply, result.twiml);
    });
  };
}
