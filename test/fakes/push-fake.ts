// A local Web Push service over HTTPS that plays the browser too: it checks VAPID and decrypts the payload.
import { Agent } from 'node:https';
import { randomUUID } from 'node:crypto';
import { generate } from 'selfsigned';
import { startFakeHttp } from './fake-http.js';
import type { FakeHttpServer, FakeRequest, FakeResponse } from './fake-http.js';
import { PushRejection, createUserAgentKeys, decryptWebPush, verifyVapid } from './push-crypto.js';
import type { UserAgentKeys, VapidClaims } from './push-crypto.js';
import { Recorder } from './recorder.js';

/** A subscription as the browser's PushManager hands it to the app (`PushSubscription.toJSON()`). */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One push the service accepted, decrypted. */
export interface ReceivedPush {
  endpoint: string;
  payload: string;
  /** The payload parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  ttl: number;
  urgency: string;
  topic: string | undefined;
  vapid: VapidClaims;
}

/** A running push service: trust `ca` (or use `agent`) to reach it over HTTPS. */
export interface PushFake extends FakeHttpServer {
  /** The throw-away certificate (PEM) the service presents for 127.0.0.1. */
  ca: string;
  /** An https.Agent that trusts `ca`, for web-push's `agent` option. */
  agent: Agent;
  received: Recorder<ReceivedPush>;
  /** Subscribes a new "browser"; with applicationServerKey, only pushes signed with that VAPID key are accepted. */
  createSubscription(options?: { applicationServerKey?: string }): PushSubscriptionJson;
  /** Ends a subscription: later pushes to it get 410 Gone, as from an unsubscribed browser. */
  unsubscribe(endpoint: string): void;
}

interface Subscription {
  keys: UserAgentKeys;
  applicationServerKey: string | undefined;
  active: boolean;
}

const URGENCIES = ['very-low', 'low', 'normal', 'high'];

/** Starts the service on 127.0.0.1 with an ephemeral port and a certificate made now. */
export async function startPushFake(): Promise<PushFake> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const subscriptions = new Map<string, Subscription>();
  const received = new Recorder<ReceivedPush>();
  let origin = '';

  const handle = ({ method, url, headers, body }: FakeRequest): FakeResponse => {
    const subscription = method === 'POST' ? subscriptions.get(url.pathname) : undefined;
    if (!subscription) return { status: 404, body: 'no such subscription' };
    if (!subscription.active) return { status: 410, body: 'subscription expired' };
    try {
      const vapid = verifyVapid(headers.authorization, origin);
      if (subscription.applicationServerKey && subscription.applicationServerKey !== vapid.publicKey) {
        throw new PushRejection(403, 'VAPID key is not the applicationServerKey of the subscription');
      }
      const ttl = headers.ttl;
      if (ttl === undefined || !/^\d+$/.test(String(ttl)))
        throw new PushRejection(400, 'TTL header required');
      const urgency = String(headers.urgency ?? 'normal');
      if (!URGENCIES.includes(urgency)) throw new PushRejection(400, `bad Urgency ${urgency}`);
      const topic = headers.topic === undefined ? undefined : String(headers.topic);
      if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic))
        throw new PushRejection(400, 'bad Topic');
      if (body.length > 4096) throw new PushRejection(413, 'payload larger than 4096 bytes');
      let payload = '';
      if (body.length > 0) {
        if (headers['content-encoding'] !== 'aes128gcm')
          throw new PushRejection(415, 'Content-Encoding must be aes128gcm');
        // A real push service cannot read the payload; here the "browser" would drop it, so say so loudly.
        try {
          payload = decryptWebPush(body, subscription.keys).toString('utf8');
        } catch (error) {
          throw new PushRejection(400, `payload does not decrypt: ${String(error)}`);
        }
      }
      let json: unknown = undefined;
      try {
        json = JSON.parse(payload);
      } catch {
        // not JSON: the payload string is still recorded
      }
      const endpoint = `${origin}${url.pathname}`;
      received.push({ endpoint, payload, json, ttl: Number(ttl), urgency, topic, vapid });
      return { status: 201, body: '', headers: { location: `${origin}/messages/${randomUUID()}` } };
    } catch (error) {
      if (error instanceof PushRejection) return { status: error.status, body: error.message };
      return { status: 403, body: `invalid VAPID authorization: ${String(error)}` };
    }
  };

  const server = await startFakeHttp(handle, (status) => ({ status, body: 'fault injected' }), {
    key: pems.private,
    cert: pems.cert,
  });
  origin = server.baseUrl;
  const agent = new Agent({ ca: pems.cert });
  return {
    ...server,
    stop: async () => {
      agent.destroy();
      await server.stop();
    },
    ca: pems.cert,
    agent,
    received,
    createSubscription(options = {}) {
      const keys = createUserAgentKeys();
      const path = `/push/${randomUUID()}`;
      subscriptions.set(path, { keys, applicationServerKey: options.applicationServerKey, active: true });
      const [p256dh, auth] = [keys.publicKey.toString('base64url'), keys.authSecret.toString('base64url')];
      return { endpoint: `${origin}${path}`, keys: { p256dh, auth } };
    },
    unsubscribe(endpoint) {
      const subscription = subscriptions.get(new URL(endpoint).pathname);
      if (subscription) subscription.active = false;
    },
  };
}
