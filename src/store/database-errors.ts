import { AppError } from '../lib/errors.js';

/**
 * Maps database errors that a client's input can cause to catalogue errors, in one place for both
 * dialects: unique violations, and text PostgreSQL cannot store (NUL characters, bad encodings).
 */
export function mapDatabaseError(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('conflict', ['A resource with the same unique value already exists']);
  }
  if (code === '22021' || code === '22P05' || /invalid byte sequence/i.test(message)) {
    return new AppError('invalidInput', ['Text contains characters that cannot be stored (such as NUL)']);
  }
  if (code === '22001') return new AppError('invalidInput', ['A value is too long']);
  return undefined;
}
