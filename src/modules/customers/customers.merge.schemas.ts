import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schemas.js';
import { Company, Contact } from './customers.schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const MergeableObject = Type.Union([Type.Literal('contact'), Type.Literal('company')]);

export const MergeRequest = Type.Object({
  survivorId: Uuid,
  mergedIds: Type.Array(Uuid, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Records merged into the survivor, then deleted' }),
  fields: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,100}$' }), Uuid, {
    description: 'field → id of the record whose value to keep (custom fields as customFields.<key>); by default the survivor’s value, or the first non-empty one',
  })),
}, { additionalProperties: false });
export type MergeRequest = Static<typeof MergeRequest>;

export const Merge = Type.Object({
  id: Uuid,
  object: MergeableObject,
  survivorId: Uuid,
  mergedIds: Type.Array(Uuid),
  actorId: Nullable(Uuid),
  hooks: Type.Array(Type.Object({ name: Type.String(), moved: Type.Integer() })),
  createdAt: Type.String({ format: 'date-time' }),
  undoneAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Merge = Static<typeof Merge>;

export const ContactMergeResult = Type.Object({ merge: Merge, survivor: Contact });
export const CompanyMergeResult = Type.Object({ merge: Merge, survivor: Company });

export const MergeListQuery = Type.Object({
  recordId: Uuid,
  object: Type.Optional(MergeableObject),
}, { additionalProperties: false });
export type MergeListQuery = Static<typeof MergeListQuery>;
