import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import { isEmail } from '../users/user.js';
import { findUserByEmail } from './incident-store.js';
import type { AgentRef, Channel } from './transitions.js';

// REST actions are logged with channel type "api": PagerDuty's timeline says "through the API" for them.
/** The channel of every REST action on incidents. */
export const restChannel: Channel = { type: 'api' };

/**
 * The user a REST action is done as. A user token or a session acts as its user (From is ignored); any
 * other actor must name a user in `From` (PagerDuty requires it), who then becomes the agent of the log
 * entries: missing → 400 2001, not one email address → 400 1028, nobody's email → 400 1008.
 */
export async function agentFor(
  db: Kysely<Database>,
  actor: Actor,
  from: string | undefined,
): Promise<AgentRef> {
  if (actor.kind === 'user' && actor.userId !== null)
    return { id: actor.userId, type: 'user_reference', summary: actor.summary };
  if (from === undefined || from.trim() === '') throw new AppError('fromHeaderMissing');
  const email = from.trim();
  if (!isEmail(email)) throw new AppError('fromHeaderMalformed', ["From must be one user's email address"]);
  const user = await findUserByEmail(db, email);
  if (!user) throw new AppError('requesterNotFound', [`No user has the email ${email}`]);
  return { id: user.id, type: 'user_reference', summary: user.name };
}
