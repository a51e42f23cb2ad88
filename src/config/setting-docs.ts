/** One documented setting: its environment variable, default and meaning (rendered in the README). */
export interface SettingDoc {
  env: string;
  default: string;
  description: string;
}

/** Every setting Tocsin reads, in the order the README documents them. */
export const settingDocs: SettingDoc[] = [
  { env: 'PORT', default: '8080', description: 'TCP port the HTTP server listens on.' },
  {
    env: 'HOST',
    default: '0.0.0.0',
    description: 'Interface to listen on (`127.0.0.1` keeps Tocsin local).',
  },
  {
    env: 'TOCSIN_DATABASE_URL',
    default: './data/tocsin.db',
    description:
      'A file path or `sqlite:` URL selects the embedded SQLite store; `postgres://…` selects PostgreSQL (several nodes).',
  },
  {
    env: 'TOCSIN_BASE_URL',
    default: 'http://localhost:$PORT',
    description: 'Public URL of this server, used in `self`/`html_url` links.',
  },
  {
    env: 'TOCSIN_ADMIN_TOKEN',
    default: '(random, printed once)',
    description:
      "At first start the admin's API token is set to this (without it a random one is printed once); it also unlocks first-run setup.",
  },
  {
    env: 'TOCSIN_EVENTS_RATE_LIMIT',
    default: '0 (off)',
    description:
      'Events accepted per routing key per 60 s sliding window; over it the sender gets 429 (v2) or 403 (v1).',
  },
  {
    env: 'TOCSIN_LOG_LEVEL',
    default: 'info',
    description: 'pino log level: fatal, error, warn, info, debug, trace, silent.',
  },
  {
    env: 'TOCSIN_PG_POOL_SIZE',
    default: '16',
    description: 'Connections in the PostgreSQL pool (PostgreSQL only); ingest uses up to 8 at once.',
  },
  {
    env: 'TOCSIN_ENGINE_POLL_MS',
    default: '250',
    description:
      "How often the engine looks for due timers when nothing woke it (other nodes' work on PostgreSQL); `0` turns the engine off on this node.",
  },
  {
    env: 'TOCSIN_DELIVERY_LEASE_SECONDS',
    default: '60',
    description:
      'How long a node holds a notification it is sending; if it dies, another node sends it after this.',
  },
  {
    env: 'TOCSIN_SMTP_URL',
    default: '(none: email goes to the log channel)',
    description:
      'SMTP server for email notifications, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…:465`.',
  },
  {
    env: 'TOCSIN_EMAIL_FROM',
    default: 'Tocsin <tocsin@localhost>',
    description: 'The sender of email notifications.',
  },
  {
    env: 'TOCSIN_ACCOUNT_NAME',
    default: '(the first label of the base URL host)',
    description:
      'The account name apps are told after the "Connect to Tocsin" install flow (`account.name`).',
  },
  {
    env: 'TOCSIN_VAPID_PUBLIC_KEY',
    default: '(none: push goes to the log channel)',
    description:
      'VAPID public key (base64url, as `npx web-push generate-vapid-keys` prints) for Web Push notifications; set with the private key and subject.',
  },
  {
    env: 'TOCSIN_VAPID_PRIVATE_KEY',
    default: '(none)',
    description: 'VAPID private key (base64url) that signs Web Push requests.',
  },
  {
    env: 'TOCSIN_VAPID_SUBJECT',
    default: '(none)',
    description:
      'Contact for push services, a `mailto:` or `https:` URL (e.g. `mailto:oncall-admin@example.com`).',
  },
  {
    env: 'TOCSIN_SLACK_API_URL',
    default: 'https://slack.com/api',
    description: 'Base URL of the Slack Web API.',
  },
  {
    env: 'TOCSIN_SLACK_BOT_TOKEN',
    default: '(none: Slack goes to the log channel)',
    description: 'Slack bot token (`xoxb-…`) with the `chat:write` and `im:write` scopes.',
  },
  {
    env: 'TOCSIN_SLACK_SIGNING_SECRET',
    default: '(none: Slack buttons are refused)',
    description:
      "The Slack app's signing secret; interaction requests to `/slack/interactions` must carry its signature.",
  },
  {
    env: 'TOCSIN_TWILIO_BASE_URL',
    default: 'https://api.twilio.com',
    description: 'The Twilio REST API (or a compatible one) that sends SMS and places calls.',
  },
  {
    env: 'TOCSIN_TWILIO_ACCOUNT_SID',
    default: '(none: SMS and calls use the log)',
    description:
      'Twilio account SID; with the auth token and the sender set, SMS and phone contact methods use Twilio.',
  },
  {
    env: 'TOCSIN_TWILIO_AUTH_TOKEN',
    default: '(none)',
    description:
      "Twilio auth token: authenticates API requests and verifies `X-Twilio-Signature` on Twilio's webhooks.",
  },
  {
    env: 'TOCSIN_TWILIO_FROM',
    default: '(none)',
    description:
      'The E.164 number SMS and calls come from (e.g. `+15550100`); its webhooks point at `$TOCSIN_BASE_URL/twilio/sms`.',
  },
  {
    env: 'TOCSIN_UNASSIGNED_FALLBACK',
    default: '(every admin)',
    description:
      'Comma-separated emails of the users paged when an incident has nobody on call at any level; empty pages every admin.',
  },
];
