import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';

/** A LIKE pattern matching `text` anywhere (lower-cased), with `\` escaping LIKE's wildcards. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A condition: the lower-cased column contains `text`, its `%` and `_` taken literally. */
export function lowerContains(column: 'name' | 'email', text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) LIKE ${containsPattern(text)} ESCAPE '\\'`;
}

/** Orders a list of named rows by name without case, then id (ascending unless `descending`). */
export function orderByName<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  descending = false,
): SelectQueryBuilder<DB, TB, O> {
  const direction = descending ? 'desc' : 'asc';
  return q.orderBy(sql`lower(name)`, direction).orderBy(sql.ref('id'), direction);
}

/** One page of named rows by name, then id (callers ask one extra row to tell `more`). */
export function pageByName<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  page: { limit: number; offset: number; descending?: boolean },
): SelectQueryBuilder<DB, TB, O> {
  return orderByName(q, page.descending).limit(page.limit).offset(page.offset);
}

/** How many rows a query matches. */
export async function countRows<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  // Generic over the tables, Kysely cannot name the selection's type: say it once here.
  const row = await q
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .$castTo<{ n: number | string }>()
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
