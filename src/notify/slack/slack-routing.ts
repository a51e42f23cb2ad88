import type { FieldErrors } from '../../lib/errors.js';

/** A Slack channel ID: public (`C…`) or private (`G…`) channel. */
const CHANNEL_ID = /^[CG][A-Z0-9]{4,20}$/;

/**
 * Reads Tocsin's `slack_channel_id` extension field (on a service or an escalation rule): absent keeps
 * `base`, null clears it, otherwise it must be a Slack channel ID (`C…` or `G…`; a member ID or a
 * `#name` is refused, since a name can be renamed and the bot posts by ID).
 */
export function slackChannelField(
  input: Record<string, unknown>,
  base: string | null,
  where: string,
  errors: FieldErrors,
  key = where,
): string | null {
  if (!Object.prototype.hasOwnProperty.call(input, key)) return base;
  const value = input[key];
  if (value === null || value === '') return null;
  if (typeof value === 'string' && CHANNEL_ID.test(value)) return value;
  errors.add(`${where} must be a Slack channel ID (C… or G…) or null`);
  return base;
}
