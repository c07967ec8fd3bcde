import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery } from '../../platform/http/schemas.js';

export const duplicateReasons = ['email', 'phone', 'domain', 'name'] as const;
const Reason = Type.Union(duplicateReasons.map((reason) => Type.Literal(reason)));
const MergeableObject = Type.Union([Type.Literal('contact'), Type.Literal('company')]);

export const DuplicateCandidate = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  score: Type.Number(),
  reasons: Type.Array(Reason),
});
export type DuplicateCandidate = Static<typeof DuplicateCandidate>;

/** Added to a created or updated contact or company when likely duplicates exist. */
export const DuplicateWarnings = Type.Object({ duplicates: Type.Array(DuplicateCandidate) });
export type DuplicateWarnings = Static<typeof DuplicateWarnings>;

export const StartScan = Type.Object({ object: MergeableObject }, { additionalProperties: false });
export type StartScan = Static<typeof StartScan>;

export const DuplicateScan = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: MergeableObject,
  status: Type.Union(['queued', 'running', 'completed', 'failed'].map((status) => Type.Literal(status))),
  progress: Type.Number({ description: '0..1: the share of blocking passes done' }),
  phasesDone: Type.Array(Type.String()),
  pairsFound: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type DuplicateScan = Static<typeof DuplicateScan>;

const RecordSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  detail: Type.Optional(Nullable(Type.String({ description: 'Company name of a contact, domain of a company' }))),
});

export const DuplicatePair = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: MergeableObject,
  score: Type.Number(),
  reasons: Type.Array(Reason),
  status: Type.Union([Type.Literal('open'), Type.Literal('dismissed'), Type.Literal('merged')]),
  records: Type.Array(RecordSummary, { minItems: 2, maxItems: 2 }),
});
export type DuplicatePair = Static<typeof DuplicatePair>;

export const DuplicateListQuery = Type.Object({
  ...PageQuery,
  object: MergeableObject,
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('dismissed'), Type.Literal('merged')], { default: 'open' })),
}, { additionalProperties: false });
export type DuplicateListQuery = Static<typeof DuplicateListQuery>;
