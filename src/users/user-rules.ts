import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../lib/errors.js';
import { shortId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { contactMethodFromRow, type ContactMethod } from './contact-method.js';
import { contactMethodRowsOf } from './contact-method-store.js';
import { editableUser, liveUser, type UserDeps } from './user-service.js';
import { auditUser } from './people-audit.js';

type Db = Kysely<Database>;
type Json = Record<string, unknown>;

/** A user's rule with its contact method (for the reference). */
export interface RuleView<Rule> {
  rule: Rule;
  contactMethod: ContactMethod;
}

/** The columns every rule row has besides its own settings. */
interface OwnedColumns {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
}

type Settings<Rule> = Omit<Rule, 'id' | 'userId'>;

/** One kind of a user's rules (notification or handoff): its queries, reading and validation. */
export interface RuleKind<Row, Rule extends { contactMethodId: string }, Columns, Filter> {
  /** The rule's reference type without `_reference`, for audit records. */
  auditType: string;
  rowsOf(db: Db, userId: string, filter: Filter | undefined): Promise<Row[]>;
  find(db: Db, userId: string, id: string): Promise<Row | undefined>;
  fromRow(row: Row): Rule;
  /**
   * Validates a body over `base` (absent on create); `own` holds the user's live contact method ids.
   * (`NoInfer`: the rule type comes from `fromRow`, not from a validator typed on the settings.)
   */
  validate(input: Json, base: NoInfer<Rule> | undefined, own: Set<string>): Settings<Rule>;
  /** The row columns of validated settings. */
  columns(settings: Settings<Rule>): Columns;
  insert(db: Db, row: OwnedColumns & Columns): Promise<void>;
  update(db: Db, id: string, values: Columns & { updated_at: string }): Promise<void>;
  remove(db: Db, id: string): Promise<void>;
}

async function methodsOf(deps: UserDeps, userId: string): Promise<Map<string, ContactMethod>> {
  const rows = await contactMethodRowsOf(deps.store.db, [userId]);
  return new Map(rows.map((r) => [r.id, contactMethodFromRow(r)]));
}

/** Pairs rules with their live contact methods; a rule whose method is gone is left out. */
function withMethods<Rule extends { contactMethodId: string }>(
  rules: Rule[],
  methods: Map<string, ContactMethod>,
): RuleView<Rule>[] {
  return rules.flatMap((rule) => {
    const contactMethod = methods.get(rule.contactMethodId);
    return contactMethod ? [{ rule, contactMethod }] : [];
  });
}

/**
 * The REST operations on one kind of a live user's rules: anyone may read them; the user, or whoever
 * may edit the user, changes them, and only with one of the user's own contact methods.
 */
export function userRules<
  Row extends object,
  Rule extends { contactMethodId: string },
  Columns,
  Filter = never,
>(kind: RuleKind<Row, Rule, Columns, Filter>) {
  async function get(deps: UserDeps, _actor: Actor, userId: string, id: string): Promise<RuleView<Rule>> {
    await liveUser(deps, userId);
    const row = await kind.find(deps.store.db, userId, id);
    const [view] = row ? withMethods([kind.fromRow(row)], await methodsOf(deps, userId)) : [];
    if (!view) throw new AppError('notFound');
    return view;
  }

  const resourceOf = (id: string) => ({ type: kind.auditType, id, summary: id });

  async function validate(deps: UserDeps, userId: string, input: Json, base?: Rule) {
    const own = new Set((await methodsOf(deps, userId)).keys());
    return kind.columns(kind.validate(input, base, own));
  }

  return {
    /** A live user's rules (in the kind's order, optionally filtered). */
    async list(deps: UserDeps, _actor: Actor, userId: string, filter?: Filter): Promise<RuleView<Rule>[]> {
      await liveUser(deps, userId);
      const rows = await kind.rowsOf(deps.store.db, userId, filter);
      return withMethods(
        rows.map((r) => kind.fromRow(r)),
        await methodsOf(deps, userId),
      );
    },

    /** One rule of a live user. */
    get,

    /** Adds a rule. */
    async create(deps: UserDeps, actor: Actor, userId: string, input: Json): Promise<RuleView<Rule>> {
      const user = await editableUser(deps, actor, userId);
      const columns = await validate(deps, userId, input);
      const at = deps.clock.now().toISOString();
      const id = shortId();
      await deps.store.transaction(async (tx) => {
        await kind.insert(tx.db, { id, user_id: userId, ...columns, created_at: at, updated_at: at });
        const change = {
          action: 'create' as const,
          resource: resourceOf(id),
          before: null,
          after: { id, ...columns },
        };
        await auditUser(tx, actor, at, user, change);
      });
      return get(deps, actor, userId, id);
    },

    /** Changes a rule from a partial body. */
    async update(deps: UserDeps, actor: Actor, userId: string, id: string, input: Json) {
      const user = await editableUser(deps, actor, userId);
      const { rule } = await get(deps, actor, userId, id);
      const columns = await validate(deps, userId, input, rule);
      const at = deps.clock.now().toISOString();
      await deps.store.transaction(async (tx) => {
        const before = await kind.find(tx.db, userId, id);
        await kind.update(tx.db, id, { ...columns, updated_at: at });
        const change = { resource: resourceOf(id), before: before ?? null, after: { id, ...columns } };
        await auditUser(tx, actor, at, user, { action: 'update', ...change });
      });
      return get(deps, actor, userId, id);
    },

    /** Deletes a rule. */
    async remove(deps: UserDeps, actor: Actor, userId: string, id: string): Promise<void> {
      const user = await editableUser(deps, actor, userId);
      await get(deps, actor, userId, id);
      const at = deps.clock.now().toISOString();
      await deps.store.transaction(async (tx) => {
        const before = await kind.find(tx.db, userId, id);
        await kind.remove(tx.db, id);
        await auditUser(tx, actor, at, user, {
          action: 'delete',
          resource: resourceOf(id),
          before: before ?? null,
          after: null,
        });
      });
    },
  };
}
