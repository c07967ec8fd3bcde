import { Type, type Static } from '@sinclair/typebox';

const TagName = Type.String({ minLength: 1, maxLength: 60, description: 'Unique in the workspace, ignoring case' });
const Color = Type.String({ pattern: '^([a-z]+|#[0-9a-fA-F]{6})$', maxLength: 20, description: 'A palette name (blue, grape, ...) or #rrggbb' });

export const Tag = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  color: Type.Union([Type.String(), Type.Null()]),
  usage: Type.Optional(Type.Integer({ description: 'How many records carry it' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Tag = Static<typeof Tag>;

export const CreateTag = Type.Object({ name: TagName, color: Type.Optional(Type.Union([Color, Type.Null()])) }, { additionalProperties: false });
export type CreateTag = Static<typeof CreateTag>;
export const UpdateTag = Type.Partial(CreateTag, { additionalProperties: false });
export type UpdateTag = Static<typeof UpdateTag>;

export const RecordTags = Type.Object({
  tags: Type.Array(TagName, { maxItems: 100, description: 'Tag names; unknown names become new tags' }),
}, { additionalProperties: false });
export type RecordTags = Static<typeof RecordTags>;
