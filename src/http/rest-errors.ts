import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { mapDatabaseError } from '../store/database-errors.js';

/** PagerDuty's REST error body. */
export function errorBody(error: AppError): { error: { message: string; code: number; errors: string[] } } {
  return { error: { message: error.message, code: error.code, errors: error.errors } };
}

/**
 * The one REST error handler: catalogue errors keep their status and code, schema validation failures
 * become 400/2001 with every field listed, anything else is a logged 500 without internals.
 */
export function restErrorHandler(
  error: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof AppError) return reply.code(error.status).send(errorBody(error));
  if ('validation' in error && error.validation) {
    const fields = error.validation.map((v) => {
      const missing = v.params?.missingProperty;
      const where = v.instancePath || (typeof missing === 'string' ? missing : 'body');
      return `${where} ${v.message ?? 'is invalid'}`.trim();
    });
    return reply.code(400).send(errorBody(new AppError('invalidInput', fields)));
  }
  const mapped = mapDatabaseError(error);
  if (mapped) return reply.code(mapped.status).send(errorBody(mapped));
  if (error.statusCode === 413) return reply.code(413).send(errorBody(new AppError('tooManyItems')));
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.code(400).send(errorBody(new AppError('invalidInput', [error.message])));
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(errorBody(new AppError('internal')));
}
