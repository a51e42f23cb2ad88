import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I or O, as PagerDuty ids avoid look-alikes

function randomChars(count: number): string {
  const bytes = randomBytes(count);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** A PagerDuty-looking id for configuration objects (services, integrations, users): `P` + 6 chars. */
export function shortId(): string {
  return 'P' + randomChars(6);
}

/**
 * A longer id for high-volume rows (incidents, alerts, log entries): `Q` + 13 chars, like PagerDuty's
 * newer ids; long enough that collisions are not a practical concern.
 */
export function longId(): string {
  return 'Q' + randomChars(13);
}

/** A 32-character hexadecimal integration key (128 random bits): valid as an Events v2 and v1 key. */
export function integrationKey(): string {
  return randomBytes(16).toString('hex');
}

/** A random secret for API tokens and passwords, URL-safe. */
export function secretToken(bytes = 15): string {
  return randomBytes(bytes).toString('base64url');
}
