import { Type, type Static } from '@sinclair/typebox';
import { SegmentFilter } from './customers.segments.schemas.js';

const ObjectName = Type.Union([Type.Literal('contact'), Type.Literal('company')]);
const Columns = Type.Array(Type.String({ pattern: '^([A-Za-z]+|custom\\.[a-z][a-z0-9_]*)$', maxLength: 80 }), {
  maxItems: 50, description: 'Field keys in display order: standard fields, tags, or custom.<key>',
});
const Sort = Type.Union([Type.String({ pattern: '^-?([A-Za-z]+|custom\\.[a-z][a-z0-9_]*)$', maxLength: 80 }), Type.Null()]);

export const View = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: Type.String(),
  name: Type.String(),
  ownerId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  shared: Type.Boolean(),
  columns: Type.Array(Type.String()),
  filter: Type.Union([SegmentFilter, Type.Null()]),
  sort: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type View = Static<typeof View>;

export const CreateView = Type.Object({
  object: ObjectName,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  shared: Type.Optional(Type.Boolean({ default: false })),
  columns: Columns,
  filter: Type.Optional(Type.Union([SegmentFilter, Type.Null()])),
  sort: Type.Optional(Sort),
}, { additionalProperties: false });
export type CreateView = Static<typeof CreateView>;

export const UpdateView = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  shared: Type.Optional(Type.Boolean()),
  columns: Type.Optional(Columns),
  filter: Type.Optional(Type.Union([SegmentFilter, Type.Null()])),
  sort: Type.Optional(Sort),
}, { additionalProperties: false });
export type UpdateView = Static<typeof UpdateView>;

export const ViewListQuery = Type.Object({ object: Type.Optional(ObjectName) }, { additionalProperties: false });
