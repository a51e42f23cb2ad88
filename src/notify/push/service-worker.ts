import type { FastifyInstance } from 'fastify';

/**
 * The service worker Tocsin serves at `/sw.js` (scope `/`). It shows a push as a notification with
 * Acknowledge and Resolve buttons; pressing one POSTs that action's single-use link, so it works from
 * the lock screen without opening the app, and the notification then says what happened. Clicking
 * the notification itself opens the incident. The web app registers it with
 * `navigator.serviceWorker.register('/sw.js')` (or imports it into its own worker with
 * `importScripts('/sw.js')`).
 */
export const SERVICE_WORKER_JS = `// Tocsin push notifications (served by Tocsin at /sw.js).
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { title: 'Tocsin', body: event.data ? event.data.text() : '' };
  }
  const actions = (data.actions || []).map((a) => ({ action: a.action, title: a.title }));
  event.waitUntil(
    self.registration.showNotification(data.title || 'Tocsin', {
      body: data.body || '',
      tag: data.tag,
      renotify: true,
      requireInteraction: actions.length > 0,
      data,
      actions,
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  const chosen = (data.actions || []).find((a) => a.action === event.action);
  event.notification.close();
  if (chosen) {
    // Act without opening the app: the link is the credential, used once.
    event.waitUntil(
      fetch(chosen.url, { method: 'POST', credentials: 'omit' })
        .then((r) => r.text().then((html) => ({ ok: r.ok, html })))
        .then(({ ok, html }) => {
          const said = /<p>([^<]*)<\\/p>/.exec(html);
          return self.registration.showNotification(data.title || 'Tocsin', {
            body: said ? said[1] : ok ? 'Done.' : 'That did not work; open Tocsin.',
            tag: data.tag,
            data: { incident: data.incident, actions: [] },
          });
        })
        .catch(() => undefined),
    );
    return;
  }
  const url = data.incident && data.incident.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
`;

/** Serves the push service worker at `/sw.js`. */
export async function serviceWorkerRoute(app: FastifyInstance): Promise<void> {
  app.get('/sw.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/')
      .send(SERVICE_WORKER_JS),
  );
}
