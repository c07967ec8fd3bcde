import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { toFieldProblems, validatorCompiler } from './validation.js';

const Body = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 5 }),
  email: Type.Optional(Type.Union([Type.String({ format: 'email' }), Type.Null()])),
  count: Type.Optional(Type.Integer()),
  companyId: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });

function problems(httpPart: 'body' | 'querystring', value: unknown) {
  const validate = validatorCompiler({ schema: Body, httpPart, method: 'POST', url: '/' }) as unknown as { (value: unknown): boolean; errors: any[] };
  return validate(value) ? [] : toFieldProblems(validate.errors);
}

describe('request validation', () => {
  it('names the one field at fault, with the most specific message', () => {
    expect(problems('body', { name: 'Ada', email: 'nope' })).toEqual([{ field: 'email', message: 'must be a valid email' }]);
    expect(problems('body', { name: 'Ada', extra: 1 })).toEqual([{ field: 'extra', message: 'is not a known field' }]);
    expect(problems('body', {})).toEqual([{ field: 'name', message: 'is required' }]);
    expect(problems('body', { name: 'Too long' })).toEqual([{ field: 'name', message: 'must be at most 5 characters' }]);
  });

  it('coerces text to numbers in query strings but never in bodies', () => {
    expect(problems('querystring', { name: 'Ada', count: '3' })).toEqual([]);
    expect(problems('body', { name: 'Ada', count: '3' })).toEqual([{ field: 'count', message: 'must be integer' }]);
  });

  it('takes a uuid only in the form PostgreSQL reads, in either case', () => {
    expect(problems('body', { name: 'Ada', companyId: '018CC256-c673-76a4-88a8-23d4a275f412' })).toEqual([]);
    expect(problems('body', { name: 'Ada', companyId: 'urn:uuid:018cc256-c673-76a4-88a8-23d4a275f412' })).toEqual([{ field: 'companyId', message: 'must be a valid uuid' }]);
  });
});
