// The one place errors become HTTP answers: `{ "error": { "code", "message", "details" } }`.
// 4xx answers say what was wrong and where; 5xx answers never leak internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { AppError } from '../errors.js';
import { merged } from '../objects.js';
import { toFieldProblems } from './validation.js';

const codesByFastifyCode: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid_content_length',
};

const codesByStatus: Record<number, string> = {
  404: 'route.not_found',
  405: 'request.method_not_allowed',
  413: 'request.too_large',
  415: 'request.unsupported_media_type',
  429: 'request.rate_limited',
  503: 'server.overloaded',
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function toErrorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.code(error.status).send(toErrorBody(error.code, error.message, error.details));
  }
  const fastifyError = error as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (fastifyError.validation) {
    const details = toFieldProblems(fastifyError.validation).map((problem) => merged(problem, { in: fastifyError.validationContext }));
    return reply.code(400).send(toErrorBody('validation.failed', `${details[0].field}: ${details[0].message}`, details));
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = codesByFastifyCode[fastifyError.code] ?? codesByStatus[status] ?? 'request.invalid';
    return reply.code(status).send(toErrorBody(code, fastifyError.message));
  }
  if (status === 503) return reply.code(503).send(toErrorBody('server.overloaded', 'Rapport is overloaded; retry shortly'));
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(toErrorBody('server.internal', 'Something went wrong on our side. It has been logged.'));
}
