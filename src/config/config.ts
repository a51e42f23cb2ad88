import { resolve } from 'node:path';

export { settingDocs, type SettingDoc } from './setting-docs.js';

/** The validated settings. */
export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  baseUrl: string;
  adminToken: string | undefined;
  eventsRateLimit: number;
  logLevel: string;
  pgPoolSize: number;
  /** Engine poll interval in ms; 0 = no engine on this node. */
  enginePollMs: number;
  /** Emails paged for unassigned incidents; empty = every admin. */
  unassignedFallback: string[];
  /** Seconds a delivery claim holds. */
  deliveryLeaseSeconds: number;
  /** SMTP server URL for email; undefined = the log channel. */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** The account name the install flow reports to apps; undefined = the base URL's first host label. */
  accountName: string | undefined;
  /** Web Push (VAPID) keys and subject; undefined = push goes to the log channel. */
  vapid: { publicKey: string; privateKey: string; subject: string } | undefined;
  slackApiUrl: string;
  /** Slack bot token; undefined = Slack goes to the log channel. */
  slackBotToken: string | undefined;
  slackSigningSecret: string | undefined;
  /** Twilio for SMS and calls, when the account SID, auth token and sender are all set. */
  twilio: TwilioConfig | undefined;
}

/** A Twilio(-compatible) account that sends SMS and places calls. */
export interface TwilioConfig {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** E.164 sender number. */
  from: string;
}

/** Which store to open. */
export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Thrown when settings are invalid; carries every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/** Reads a database URL: `postgres://…`/`postgresql://…`, `sqlite:<path>`, or a plain file path. */
export function parseDatabaseUrl(raw: string, problems: string[] = []): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      problems.push(`TOCSIN_DATABASE_URL is not a valid URL: "${raw}"`);
    }
    return { kind: 'postgres', url: raw };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !raw.startsWith('sqlite:') && !raw.startsWith('file:')) {
    problems.push(
      `TOCSIN_DATABASE_URL must be a file path, a sqlite: URL or a postgres:// URL (got "${raw}")`,
    );
  }
  const path = raw.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  if (path === '') problems.push('TOCSIN_DATABASE_URL names no SQLite file');
  return { kind: 'sqlite', file: path === ':memory:' ? path : resolve(path) };
}

/** Validates the environment, reporting every invalid setting at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = integer(env, 'PORT', 8080, 0, 65535, problems);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  const database = parseDatabaseUrl(env.TOCSIN_DATABASE_URL || './data/tocsin.db', problems);
  let baseUrl = env.TOCSIN_BASE_URL || `http://localhost:${port}`;
  try {
    const parsed = new URL(baseUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    baseUrl = baseUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`TOCSIN_BASE_URL must be an http(s) URL (got "${baseUrl}")`);
  }
  const adminToken = env.TOCSIN_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && (adminToken.length < 16 || /\s/.test(adminToken))) {
    problems.push('TOCSIN_ADMIN_TOKEN must be at least 16 characters without spaces');
  }
  const eventsRateLimit = integer(env, 'TOCSIN_EVENTS_RATE_LIMIT', 0, 0, 1_000_000, problems);
  const logLevel = env.TOCSIN_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`TOCSIN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const pgPoolSize = integer(env, 'TOCSIN_PG_POOL_SIZE', 16, 4, 1000, problems);
  const enginePollMs = integer(env, 'TOCSIN_ENGINE_POLL_MS', 250, 0, 60_000, problems);
  const smtpUrl = env.TOCSIN_SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl))
    problems.push(`TOCSIN_SMTP_URL must be an smtp:// or smtps:// URL (got "${smtpUrl}")`);
  const emailFrom = env.TOCSIN_EMAIL_FROM || 'Tocsin <tocsin@localhost>';
  const accountName = env.TOCSIN_ACCOUNT_NAME?.trim() || undefined;
  const twilio = twilioConfig(env, problems);
  const deliveryLeaseSeconds = integer(env, 'TOCSIN_DELIVERY_LEASE_SECONDS', 60, 5, 3600, problems);
  const unassignedFallback = (env.TOCSIN_UNASSIGNED_FALLBACK ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const email of unassignedFallback)
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      problems.push(`TOCSIN_UNASSIGNED_FALLBACK has an invalid email: "${email}"`);
  const vapid = vapidSettings(env, problems);
  const slackApiUrl = (env.TOCSIN_SLACK_API_URL || 'https://slack.com/api').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(slackApiUrl))
    problems.push(`TOCSIN_SLACK_API_URL must be an http(s) URL (got "${slackApiUrl}")`);
  const slackBotToken = env.TOCSIN_SLACK_BOT_TOKEN || undefined;
  const slackSigningSecret = env.TOCSIN_SLACK_SIGNING_SECRET || undefined;
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    database,
    baseUrl,
    adminToken,
    eventsRateLimit,
    logLevel,
    pgPoolSize,
    enginePollMs,
    unassignedFallback,
    deliveryLeaseSeconds,
    smtpUrl,
    emailFrom,
    accountName,
    vapid,
    slackApiUrl,
    slackBotToken,
    slackSigningSecret,
    twilio,
  };
}

/** The VAPID settings: all three or none; keys must be P-256 keys in base64url. */
function vapidSettings(env: NodeJS.ProcessEnv, problems: string[]): Config['vapid'] {
  const publicKey = env.TOCSIN_VAPID_PUBLIC_KEY || undefined;
  const privateKey = env.TOCSIN_VAPID_PRIVATE_KEY || undefined;
  const subject = env.TOCSIN_VAPID_SUBJECT || undefined;
  if (!publicKey && !privateKey && !subject) return undefined;
  const bytes = (value: string | undefined) =>
    value && /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').length : 0;
  if (bytes(publicKey) !== 65)
    problems.push('TOCSIN_VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes)');
  if (bytes(privateKey) !== 32)
    problems.push('TOCSIN_VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)');
  if (!subject || !/^(mailto:|https:\/\/)\S+$/.test(subject))
    problems.push('TOCSIN_VAPID_SUBJECT must be a mailto: or https: URL');
  return { publicKey: publicKey ?? '', privateKey: privateKey ?? '', subject: subject ?? '' };
}

/** Twilio settings: all of SID, token and sender, or none of them. */
function twilioConfig(env: NodeJS.ProcessEnv, problems: string[]): TwilioConfig | undefined {
  const baseUrl = (env.TOCSIN_TWILIO_BASE_URL || 'https://api.twilio.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl))
    problems.push(`TOCSIN_TWILIO_BASE_URL must be an http(s) URL (got "${baseUrl}")`);
  const accountSid = env.TOCSIN_TWILIO_ACCOUNT_SID || undefined;
  const authToken = env.TOCSIN_TWILIO_AUTH_TOKEN || undefined;
  const from = env.TOCSIN_TWILIO_FROM || undefined;
  const set = [accountSid, authToken, from].filter((v) => v !== undefined).length;
  if (set === 0) return undefined;
  if (set < 3)
    problems.push(
      'TOCSIN_TWILIO_ACCOUNT_SID, TOCSIN_TWILIO_AUTH_TOKEN and TOCSIN_TWILIO_FROM must be set together',
    );
  if (from !== undefined && !/^\+[1-9]\d{1,14}$/.test(from))
    problems.push(`TOCSIN_TWILIO_FROM must be an E.164 number like +15550100 (got "${from}")`);
  if (set < 3) return undefined;
  return { baseUrl, accountSid: accountSid!, authToken: authToken!, from: from! };
}
