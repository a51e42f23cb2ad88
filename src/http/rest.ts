import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../lib/errors.js';

/** Classic pagination query parameters. */
export const PaginationQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  total: Type.Optional(Type.Boolean()),
});
/** Parsed pagination parameters. */
export type PaginationParams = Static<typeof PaginationQuery>;

/** Resolved pagination: PagerDuty's defaults (25, max 100) and its 10 000 depth limit. */
export function pagination(query: PaginationParams): { limit: number; offset: number; total: boolean } {
  const limit = query.limit ?? 25;
  const offset = query.offset ?? 0;
  if (offset + limit > 10_000) throw new AppError('paginationTooDeep');
  return { limit, offset, total: query.total ?? false };
}

/**
 * A classic list envelope. `rows` holds up to limit+1 items (the extra one tells `more`); `total` is
 * null unless it was asked for.
 */
export function listEnvelope<T>(
  key: string,
  rows: T[],
  page: { limit: number; offset: number },
  total: number | null,
) {
  return {
    [key]: rows.slice(0, page.limit),
    limit: page.limit,
    offset: page.offset,
    more: rows.length > page.limit,
    total,
  };
}

/** Builds PagerDuty-style references and links from the public base URL. */
export class Links {
  constructor(readonly baseUrl: string) {}

  /** The API URL of a resource. */
  self(collection: string, id: string): string {
    return `${this.baseUrl}/api/v2/${collection}/${id}`;
  }

  /** The web app URL of a resource. */
  html(collection: string, id: string): string {
    return `${this.baseUrl}/${collection}/${id}`;
  }

  /** A `{id, type: '<x>_reference', summary, self, html_url}` reference. */
  reference(type: string, collection: string, id: string, summary: string) {
    return {
      id,
      type: `${type}_reference`,
      summary,
      self: this.self(collection, id),
      html_url: this.html(collection, id),
    };
  }
}
