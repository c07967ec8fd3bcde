// Request validation. Bodies are checked strictly (no type coercion, unknown fields refused);
// query strings and path parameters arrive as text, so there numbers and booleans are coerced.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldProblem } from '../errors.js';
import { uuidPattern } from '../uuid.js';

// ajv-formats ships CommonJS with a default export that ESM sees one level down.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats(ajv);
  // ajv-formats' own also takes `urn:uuid:…`: such an id reached the database and came back as a 500.
  ajv.addFormat('uuid', uuidPattern);
  return ajv;
}

const strictAjv = createAjv(false);
const coercingAjv = createAjv('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not a known field';
    case 'required':
      return 'is required';
    case 'maxLength':
      return `must be at most ${error.params.limit} characters`;
    case 'minLength':
      return error.params.limit === 1 ? 'must not be empty' : `must be at least ${error.params.limit} characters`;
    case 'format':
      return `must be a valid ${error.params.format}`;
    case 'type':
      return `must be ${error.params.type}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * Turns ajv's errors into problems that name the top-level field a form would show them on:
 * one per field, the most specific first (a nullable field fails every branch of its union,
 * and "must be null" tells nobody anything).
 */
export function toFieldProblems(errors: ErrorObject[]): FieldProblem[] {
  const problems = new Map<string, FieldProblem>();
  const specific = errors.filter((error) => error.keyword !== 'anyOf' && !(error.keyword === 'type' && error.params.type === 'null'));
  for (const problem of (specific.length ? specific : errors).map(toFieldProblem)) {
    if (!problems.has(problem.field)) problems.set(problem.field, problem);
  }
  return [...problems.values()];
}

function toFieldProblem(error: ErrorObject): FieldProblem {
  {
    const path = error.instancePath.split('/').filter(Boolean);
    let field = path[0] ?? '';
    if (error.keyword === 'required') field = path[0] ?? String(error.params.missingProperty);
    if (error.keyword === 'additionalProperties') field = path[0] ?? String(error.params.additionalProperty);
    const message = error.keyword === 'required' && path.length > 0
      ? `${error.params.missingProperty} is required`
      : describe(error);
    return { field: field || '(body)', message };
  }
}
