import { useState } from 'react';
import { api, messageOf } from '../../api/client.js';
import { ErrorText } from '../../components/status.js';
import type { ContactMethod } from './profile-api.js';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  const text = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Push notifications on this device: asks permission, subscribes through the service worker with the
 * server's VAPID key, makes a push contact method and registers the subscription on it.
 */
export function PushDevice({
  userId,
  methods,
  onChange,
}: {
  userId: string;
  methods: ContactMethod[];
  onChange: () => void;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const supported = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window;
  const enable = async () => {
    setError(null);
    try {
      const { vapid_public_key: key } = await api.get<{ vapid_public_key: string | null }>(
        'push/vapid_public_key',
      );
      if (!key) throw new Error('Push is not configured on this server (no VAPID key).');
      if ((await Notification.requestPermission()) !== 'granted')
        throw new Error('Notifications are blocked for this site.');
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(key),
      });
      const label = `Browser on ${navigator.platform || 'this device'}`;
      const made = await api.post<{ contact_method: ContactMethod }>(`users/${userId}/contact_methods`, {
        contact_method: {
          type: 'push_notification_contact_method',
          device_type: 'web',
          label,
          address: subscription.endpoint,
        },
      });
      await api.put(`users/${userId}/contact_methods/${made.contact_method.id}/push_subscription`, {
        subscription: subscription.toJSON(),
      });
      setStatus('Push notifications are on for this device.');
      onChange();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const pushMethods = methods.filter((m) => m.type === 'push_notification_contact_method');
  return (
    <article aria-labelledby="push-title" className="card stack">
      <h2 id="push-title">Push on this device</h2>
      <p className="muted">
        {pushMethods.length === 0
          ? 'No device receives push notifications yet.'
          : `${pushMethods.length} device(s) receive push notifications.`}
      </p>
      {supported ? (
        <div>
          <button type="button" onClick={() => void enable()}>
            Turn on push notifications here
          </button>
        </div>
      ) : (
        <p className="muted">This browser does not support web push.</p>
      )}
      {status && <p role="status">{status}</p>}
      <ErrorText>{error}</ErrorText>
    </article>
  );
}
