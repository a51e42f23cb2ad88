import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import type { Database } from '../store/database.js';
import { findUserByEmail } from './incident-store.js';
import type { AgentRef, Channel } from './transitions.js';

// REST actions are logged with channel type "api": PagerDuty's timeline says "through the API" for them.
/** The channel of every REST action on incidents. */
export const restChannel: Channel = { type: 'api' };

/**
 * The user a REST action is done as. A user token acts as its user; an account token must name a user
 * in `From` (PagerDuty requires it), who then becomes the agent of the log entries.
 */
export async function agentFor(
  db: Kysely<Database>,
  actor: Actor,
  from: string | undefined,
): Promise<AgentRef> {
  if (actor.kind === 'user' && actor.userId !== null)
    return { id: actor.userId, type: 'user_reference', summary: actor.summary };
  if (from === undefined || from.trim() === '') throw new AppError('fromHeaderMissing');
  const user = await findUserByEmail(db, from);
  if (!user) throw new AppError('invalidInput', [`The "From" header names no user: ${from}`]);
  return { id: user.id, type: 'user_reference', summary: user.name };
}
