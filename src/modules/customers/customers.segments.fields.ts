// The fields a segment filter (and a list filter) may name for an object, each with the SQL
// that reads it and the kind that decides its operators: standard columns, custom fields
// (`custom.<key>`), tags, and for contacts their company's fields (`company.name`, ...).
import { sql, type RawBuilder } from 'kysely';
import { customValueExpression } from './customers.custom-fields.repository.js';
import type { CustomFieldDefinition } from './customers.custom-fields.values.js';

export type FieldKind = 'text' | 'uuid' | 'number' | 'date' | 'timestamp' | 'boolean' | 'multi' | 'tag';

export const operatorsByKind: Record<FieldKind, readonly string[]> = {
  text: ['eq', 'neq', 'contains', 'in', 'isEmpty', 'isNotEmpty'],
  uuid: ['eq', 'neq', 'in', 'isEmpty', 'isNotEmpty'],
  number: ['eq', 'neq', 'gt', 'lt', 'between', 'in', 'isEmpty', 'isNotEmpty'],
  date: ['eq', 'neq', 'gt', 'lt', 'between', 'isEmpty', 'isNotEmpty'],
  timestamp: ['gt', 'lt', 'between', 'withinDays', 'notWithinDays'],
  boolean: ['eq', 'isEmpty', 'isNotEmpty'],
  multi: ['contains', 'in', 'isEmpty', 'isNotEmpty'],
  tag: ['has', 'hasNot'],
};

export interface FilterField {
  name: string;
  kind: FieldKind;
  /** The object whose field rules govern this field, and the field name they use. */
  permission: { object: string; field: string };
  /** Set for custom fields: values are checked against the definition. */
  definition?: CustomFieldDefinition;
  /** Set for a contact's company fields: evaluated on the related company row. */
  viaCompany?: boolean;
  /** The value's SQL, given the alias of the row it is read from. */
  read(alias: string): RawBuilder<unknown>;
  /** The custom_fields column, for containment tests that the GIN index answers. */
  customColumn?(alias: string): string;
}

const column = (name: string, kind: FieldKind, object: string, columnName = name, permissionField = name): FilterField => ({
  name, kind, permission: { object, field: permissionField }, read: (alias) => sql.ref(`${alias}.${columnName}`),
});

const standardFields: Record<string, FilterField[]> = {
  contact: [
    column('name', 'text', 'contact'), column('email', 'text', 'contact'), column('phone', 'text', 'contact'), column('title', 'text', 'contact'),
    column('ownerId', 'uuid', 'contact'), column('companyId', 'uuid', 'contact'),
    column('createdAt', 'timestamp', 'contact'), column('updatedAt', 'timestamp', 'contact'),
    // Recency of activity: the record's last change until an activities module records more.
    column('lastChanged', 'timestamp', 'contact', 'updatedAt', 'updatedAt'),
  ],
  company: [
    ...['name', 'domain', 'email', 'phone', 'industry', 'city', 'country'].map((name) => column(name, 'text', 'company')),
    column('ownerId', 'uuid', 'company'), column('createdAt', 'timestamp', 'company'), column('updatedAt', 'timestamp', 'company'),
    column('lastChanged', 'timestamp', 'company', 'updatedAt', 'updatedAt'),
  ],
};

const kindOfType: Record<CustomFieldDefinition['type'], FieldKind> = {
  text: 'text', long_text: 'text', url: 'text', email: 'text', phone: 'text', reference: 'text', single_select: 'text',
  number: 'number', money: 'number', date: 'date', date_time: 'date', boolean: 'boolean', multi_select: 'multi',
};

function customField(name: string, object: string, definition: CustomFieldDefinition): FilterField {
  const kind = kindOfType[definition.type];
  return {
    name, kind, definition, permission: { object, field: `customFields.${definition.key}` },
    read: (alias) => (kind === 'boolean'
      ? sql`(${sql.ref(`${alias}.customFields`)} ->> ${definition.key})::boolean`
      : kind === 'multi' ? sql`${sql.ref(`${alias}.customFields`)} -> ${definition.key}` : customValueExpression(`${alias}.customFields`, definition)),
    customColumn: (alias) => `${alias}.customFields`,
  };
}

/** Every field a filter on `object` may name, by name. */
export function filterFields(object: string, definitions: CustomFieldDefinition[]): Map<string, FilterField> {
  const fields = new Map<string, FilterField>();
  for (const field of standardFields[object] ?? []) fields.set(field.name, field);
  for (const definition of definitions.filter((candidate) => candidate.object === object)) {
    fields.set(`custom.${definition.key}`, customField(`custom.${definition.key}`, object, definition));
  }
  fields.set('tag', { name: 'tag', kind: 'tag', permission: { object, field: 'tags' }, read: (alias) => sql.ref(`${alias}.id`) });
  if (object === 'contact') {
    for (const name of ['name', 'domain']) {
      fields.set(`company.${name}`, Object.assign(column(`company.${name}`, 'text', 'company', name, name), { viaCompany: true }));
    }
    for (const definition of definitions.filter((candidate) => candidate.object === 'company')) {
      fields.set(`company.custom.${definition.key}`, Object.assign(customField(`company.custom.${definition.key}`, 'company', definition), { viaCompany: true }));
    }
  }
  return fields;
}
