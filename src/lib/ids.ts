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

function encodeFixed(value: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[value % ALPHABET.length]! + out;
    value = Math.floor(value / ALPHABET.length);
  }
  return out;
}

const SEQUENCE_SPACE = ALPHABET.length ** 5;
let lastMs = 0;
let sequence = 0;

/**
 * A longer id for high-volume rows (incidents, alerts, log entries): `Q` + 9 time chars + 5 sequence
 * chars. Ids sort in creation order within a process (the sequence counts up inside one millisecond and
 * starts at a random point in each new one), so rows written in one transaction keep their order.
 */
export function longId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = randomBytes(4).readUInt32BE() % (SEQUENCE_SPACE / 2);
  } else {
    sequence++;
    if (sequence >= SEQUENCE_SPACE) {
      lastMs++;
      sequence = 0;
    }
  }
  return 'Q' + encodeFixed(lastMs, 9) + encodeFixed(sequence, 5);
}

/** The millisecond a long id was made at (its 9 time characters), or undefined for other ids. */
export function longIdTime(id: string): number | undefined {
  if (id.length !== 15 || id[0] !== 'Q') return undefined;
  let value = 0;
  for (const char of id.slice(1, 10)) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = value * ALPHABET.length + digit;
  }
  return value;
}

/** The smallest long id made at or after `ms`: a cursor floor for "rows written since about then". */
export function longIdFloor(ms: number): string {
  return 'Q' + encodeFixed(Math.max(0, Math.floor(ms)), 9) + encodeFixed(0, 5);
}

/** A 32-character hexadecimal integration key (128 random bits): valid as an Events v2 and v1 key. */
export function integrationKey(): string {
  return randomBytes(16).toString('hex');
}

/** A random secret for API tokens and passwords, URL-safe. */
export function secretToken(bytes = 15): string {
  return randomBytes(bytes).toString('base64url');
}
