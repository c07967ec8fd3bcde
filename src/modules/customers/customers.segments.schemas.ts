import { Type, type Static } from '@sinclair/typebox';

const ObjectName = Type.Union([Type.Literal('contact'), Type.Literal('company')]);

// Declared for the OpenAPI document only: the service checks filters itself, so that a problem
// names its exact path (filter.groups[0].conditions[1].operator) rather than just "filter".
export const SegmentFilter = Type.Unsafe<{ match: 'all' | 'any'; groups: Array<{ match: 'all' | 'any'; conditions: Array<{ field: string; operator: string; value?: unknown }> }> }>({
  type: 'object',
  // Without this the response serialiser would write every filter as {}.
  additionalProperties: true,
  description: 'Groups of conditions; `match` says whether all or any must hold, in each group and across groups. '
    + 'Fields: standard fields, custom.<key>, tag, lastChanged, and for contacts company.name, company.domain, company.custom.<key>. '
    + 'Operators: eq, neq, contains, in, gt, lt, between, isEmpty, isNotEmpty, withinDays, notWithinDays, has, hasNot (by field type).',
  examples: [{ match: 'any', groups: [{ match: 'all', conditions: [{ field: 'custom.tier', operator: 'eq', value: 'gold' }, { field: 'tag', operator: 'has', value: 'vip' }] }] }],
});

export const Segment = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: Type.String(),
  name: Type.String(),
  filter: SegmentFilter,
  ownerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Segment = Static<typeof Segment>;

export const CreateSegment = Type.Object({
  object: ObjectName,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  filter: SegmentFilter,
}, { additionalProperties: false });
export type CreateSegment = Static<typeof CreateSegment>;

export const UpdateSegment = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  filter: Type.Optional(SegmentFilter),
}, { additionalProperties: false });
export type UpdateSegment = Static<typeof UpdateSegment>;

export const SegmentPreview = Type.Object({ object: ObjectName, filter: SegmentFilter }, { additionalProperties: false });
export type SegmentPreview = Static<typeof SegmentPreview>;

export const SegmentListQuery = Type.Object({ object: Type.Optional(ObjectName) }, { additionalProperties: false });
