import { Type, type Static } from '@sinclair/typebox';
import { customFieldTypes } from './customers.custom-fields.values.js';

const ObjectName = Type.String({ minLength: 1, maxLength: 40, description: 'contact or company (more objects as modules declare them)' });

export const CustomFieldType = Type.Union(customFieldTypes.map((type) => Type.Literal(type)));

export const CustomField = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: Type.String(),
  key: Type.String({ description: 'Stable snake_case key; values live under customFields.<key>' }),
  label: Type.String(),
  type: CustomFieldType,
  options: Type.Array(Type.String(), { description: 'The choices of a select field' }),
  referenceObject: Type.Union([Type.String(), Type.Null()], { description: 'What a reference field points at: contact or company' }),
  required: Type.Boolean(),
  sensitive: Type.Boolean({ description: 'Marked for field encryption; hide it from roles with a field rule on customFields.<key>' }),
  position: Type.Integer(),
});
export type CustomField = Static<typeof CustomField>;

const Options = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 });

export const CreateCustomField = Type.Object({
  object: ObjectName,
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'snake_case, unique per object, never changes' }),
  label: Type.String({ minLength: 1, maxLength: 100 }),
  type: CustomFieldType,
  options: Type.Optional(Options),
  referenceObject: Type.Optional(Type.Union([Type.Literal('contact'), Type.Literal('company'), Type.Null()], { description: 'For reference fields: what they point at' })),
  required: Type.Optional(Type.Boolean()),
  sensitive: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
}, { additionalProperties: false });
export type CreateCustomField = Static<typeof CreateCustomField>;

export const UpdateCustomField = Type.Object({
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  type: Type.Optional(CustomFieldType),
  options: Type.Optional(Options),
  required: Type.Optional(Type.Boolean()),
  sensitive: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
}, { additionalProperties: false, description: 'The key and object never change' });
export type UpdateCustomField = Static<typeof UpdateCustomField>;

export const CustomFieldListQuery = Type.Object({ object: Type.Optional(ObjectName) }, { additionalProperties: false });

/**
 * The `customFields` property of a record. The global OpenAPI document shows it as an open
 * object; GET /api/v1/openapi.json replaces every schema marked with x-rapport-custom-fields
 * by the workspace's typed definitions.
 */
export const CustomFieldValues = (object: string) => Type.Record(Type.String(), Type.Unknown(), {
  description: 'Values of the workspace\'s custom fields, keyed by field key (GET /api/v1/custom-fields lists them)',
  'x-rapport-custom-fields': object,
});
