/**
 * The app registers Tocsin's own service worker, `/sw.js` (src/notify/push/service-worker.ts): it shows
 * pushes with Acknowledge and Resolve buttons. The server owns that file so push keeps working for
 * browsers that registered it before the web app existed.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('service worker registration failed', error);
    });
  });
}

/** What `GET /api/v2/push/vapid_public_key` (or the profile page) supplies to subscribe. */
export interface PushSubscribeOptions {
  /** The VAPID public key, base64url. */
  vapidPublicKey: string;
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const padded = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Subscribes this device to push and returns the subscription (its JSON goes into a push contact
 * method). The profile page calls this hook; it asks the browser for permission first.
 */
export async function subscribeThisDevice(options: PushSubscribeOptions): Promise<PushSubscriptionJSON> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window))
    throw new Error('This browser cannot receive push notifications.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for Tocsin in this browser.');
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  const subscription =
    existing ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(options.vapidPublicKey),
    }));
  return subscription.toJSON();
}
