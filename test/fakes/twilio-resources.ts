// The Message and Call resources, shaped as Twilio's REST API returns them.
import { twilioDate } from './twilio-rest.js';

/** The Message resource JSON of a created message. */
export function messageResource(
  accountSid: string,
  sid: string,
  p: Record<string, string>,
  status: string,
  created: Date,
) {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  const date = twilioDate(created);
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: p.Body ?? '',
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: p.From ?? null,
    messaging_service_sid: p.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil((p.Body ?? '').length / 153))),
    price: null,
    price_unit: 'USD',
    sid,
    status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: p.To,
    uri: `${uri}.json`,
  };
}

/** The Call resource JSON of a created call. */
export function callResource(
  accountSid: string,
  sid: string,
  p: Record<string, string>,
  status: string,
  created: Date,
) {
  const uri = `/2010-04-01/Accounts/${accountSid}/Calls/${sid}`;
  const date = twilioDate(created);
  return {
    account_sid: accountSid,
    annotation: null,
    answered_by: null,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: date,
    date_updated: date,
    direction: 'outbound-api',
    duration: null,
    end_time: null,
    forwarded_from: null,
    from: p.From,
    from_formatted: p.From,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid,
    start_time: null,
    status,
    subresource_uris: { notifications: `${uri}/Notifications.json`, recordings: `${uri}/Recordings.json` },
    to: p.To,
    to_formatted: p.To,
    trunk_sid: null,
    uri: `${uri}.json`,
  };
}
