import { AppError } from '../lib/errors.js';

/** The shortest password accepted (NIST SP 800-63B's minimum for user-chosen secrets). */
export const MIN_PASSWORD_LENGTH = 8;

/** The longest: scrypt's cost grows with the input, and nobody types more. */
export const MAX_PASSWORD_LENGTH = 256;

/** Checks a new password against the length rules; throws 400 with the field error. */
export function checkNewPassword(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw new AppError('invalidInput', [`${field} must be at least ${MIN_PASSWORD_LENGTH} characters`]);
  if (length > MAX_PASSWORD_LENGTH)
    throw new AppError('invalidInput', [`${field} must be at most ${MAX_PASSWORD_LENGTH} characters`]);
}
