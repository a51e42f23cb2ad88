import type { Links } from './rest.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';

/** What a domain's REST routes are built from. */
export interface DomainRoutesDeps {
  store: Store;
  clock: Clock;
  links: Links;
  /** Tells this node's engine that timers may be due now (call after a commit that added some). */
  poke(): void;
  /** Emails paged when an incident has nobody on call; empty = every admin. */
  fallbackEmails: readonly string[];
}
