import { api, type Query } from './client.js';
import type { ListPage } from './types.js';

/** Reads every page of a classic list (100 at a time) up to `max` items. */
export async function listAll<K extends string, T>(
  path: string,
  key: K,
  query: Query = {},
  max = 10_000,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; items.length < max; offset += 100) {
    const page = await api.get<ListPage<K, T>>(path, { ...query, limit: 100, offset }, signal);
    items.push(...page[key]);
    if (!page.more) break;
  }
  return items;
}
