import { api } from '../../api/client.js';
import type { Reference } from '../../api/types.js';

/** A contact method of the signed-in user. */
export interface ContactMethod {
  id: string;
  type: string;
  label: string;
  address: string;
  enabled?: boolean;
  device_type?: string;
  summary?: string;
}

/** An assignment notification rule. */
export interface NotificationRule {
  id: string;
  start_delay_in_minutes: number;
  urgency: 'high' | 'low';
  contact_method: Reference;
}

/** An on-call handoff notification rule. */
export interface HandoffRule {
  id: string;
  handoff_type: 'both' | 'oncall' | 'offcall';
  notify_advance_in_minutes: number;
  contact_method: Reference;
}

/** Words for contact method types. */
export const methodTypes: Record<string, string> = {
  email_contact_method: 'Email',
  sms_contact_method: 'SMS',
  phone_contact_method: 'Phone',
  push_notification_contact_method: 'Push',
  slack_contact_method: 'Slack',
  webhook_contact_method: 'Webhook',
};

/** Everything the profile page shows about the user. */
export async function loadProfile(userId: string, signal: AbortSignal) {
  const [methods, rules, handoffs] = await Promise.all([
    api.get<{ contact_methods: ContactMethod[] }>(`users/${userId}/contact_methods`, {}, signal),
    api.get<{ notification_rules: NotificationRule[] }>(`users/${userId}/notification_rules`, {}, signal),
    api.get<{ oncall_handoff_notification_rules: HandoffRule[] }>(
      `users/${userId}/oncall_handoff_notification_rules`,
      {},
      signal,
    ),
  ]);
  return {
    methods: methods.contact_methods,
    rules: rules.notification_rules,
    handoffs: handoffs.oncall_handoff_notification_rules,
  };
}
