// Custom field definitions, and the SQL that reads values out of a record's custom_fields
// column for filters and sorts. Keys and values always travel as parameters.
import { sql, type Expression, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { CustomFieldTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';
import type { SortColumn } from '../../platform/keyset.js';
import { merged } from '../../platform/objects.js';
import type { CustomFieldDefinition, CustomFieldType } from './customers.custom-fields.values.js';

type CustomFieldRow = Selectable<CustomFieldTable>;
export type DefinitionValues = Omit<CustomFieldDefinition, 'id'>;

const toDefinition = (row: CustomFieldRow): CustomFieldDefinition => ({
  id: row.id, object: row.object, key: row.key, label: row.label, type: row.type as CustomFieldType, options: row.options,
  referenceObject: row.referenceObject, required: row.required, sensitive: row.sensitive, position: row.position,
});

/** Which table holds an object's records: a name objects declare in code, never user input. */
export type RecordTable = string;

export const customFieldsRepository = {
  async list(trx: Trx, tenantId: string, object?: string): Promise<CustomFieldDefinition[]> {
    let query = trx.selectFrom('customField').selectAll().where('tenantId', '=', tenantId).orderBy('object').orderBy('position').orderBy('key');
    if (object) query = query.where('object', '=', object);
    return (await query.execute()).map(toDefinition);
  },

  async find(trx: Trx, tenantId: string, id: string, forUpdate = false): Promise<CustomFieldDefinition | undefined> {
    let query = trx.selectFrom('customField').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toDefinition(row);
  },

  async insert(trx: Trx, tenantId: string, id: string, values: DefinitionValues): Promise<CustomFieldDefinition> {
    const row = await trx.insertInto('customField').values(merged(values, { tenantId, id, options: JSON.stringify(values.options) }))
      .returningAll().executeTakeFirstOrThrow();
    return toDefinition(row);
  },

  async update(trx: Trx, tenantId: string, id: string, values: Partial<Pick<DefinitionValues, 'label' | 'options' | 'required' | 'sensitive' | 'position' | 'type'>>) {
    const { options, ...rest } = values;
    const row = await trx.updateTable('customField').set(Object.assign({}, rest, options ? { options: JSON.stringify(options) } : {}, { updatedAt: new Date() }))
      .where('tenantId', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return toDefinition(row);
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('customField').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },

  /** The values stored under a key, to check whether a change of type would still fit them. */
  async distinctValues(trx: Trx, tenantId: string, table: RecordTable, key: string, limit: number): Promise<unknown[]> {
    const { rows } = await sql<{ value: unknown }>`select distinct custom_fields -> ${key} as value from ${sql.table(table)}
      where tenant_id = ${tenantId} and custom_fields ? ${key} limit ${limit}`.execute(trx);
    return rows.map((row) => row.value);
  },

  /** Removes a key from up to `limit` records and returns their ids and the removed values. */
  async removeKeyBatch(trx: Trx, tenantId: string, table: RecordTable, key: string, limit: number) {
    const { rows } = await sql<{ id: string; value: unknown }>`
      with batch as (
        select id, custom_fields -> ${key} as value from ${sql.table(table)}
        where tenant_id = ${tenantId} and custom_fields ? ${key} limit ${limit} for update
      )
      update ${sql.table(table)} as record set custom_fields = record.custom_fields - ${key}::text
      from batch where record.tenant_id = ${tenantId} and record.id = batch.id
      returning record.id, batch.value`.execute(trx);
    return rows;
  },

  /** Up to `limit` records holding a value under the key, after `afterId` in id order, locked. */
  async listValuesAfter(trx: Trx, tenantId: string, table: RecordTable, key: string, afterId: string | null, limit: number) {
    const { rows } = await sql<{ id: string; value: string }>`select id, (custom_fields -> ${key})::text as value from ${sql.table(table)}
      where tenant_id = ${tenantId} and custom_fields ? ${key} ${afterId ? sql`and id > ${afterId}` : sql``}
      order by id limit ${limit} for update`.execute(trx);
    return rows.map((row) => ({ id: row.id, value: JSON.parse(row.value) as unknown }));
  },

  /** Up to `limit` records after `afterId` in id order with their custom fields as stored, locked. */
  async listRecordsAfter(trx: Trx, tenantId: string, table: RecordTable, afterId: string | null, limit: number) {
    const { rows } = await sql<{ id: string; customFields: string }>`select id, custom_fields::text as custom_fields from ${sql.table(table)}
      where tenant_id = ${tenantId} ${afterId ? sql`and id > ${afterId}` : sql``} order by id limit ${limit} for update`.execute(trx);
    return rows.map((row) => ({ id: row.id, customFields: JSON.parse(row.customFields) as Record<string, unknown> }));
  },

  /** Rewrites one stored value in another form (sealed, opened, re-keyed): not a change of the record. */
  async setStoredValue(trx: Trx, tenantId: string, table: RecordTable, id: string, key: string, value: unknown) {
    await sql`update ${sql.table(table)} set custom_fields = jsonb_set(custom_fields, array[${key}::text], ${JSON.stringify(value)}::jsonb)
      where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  },

  async recordExists(trx: Trx, tenantId: string, table: RecordTable, id: string): Promise<boolean> {
    const { rows } = await sql`select 1 from ${sql.table(table)} where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
    return rows.length > 0;
  },
};

const numericTypes = new Set<CustomFieldType>(['number', 'money']);

/** `custom_fields -> key` as the type the field sorts and compares by. */
export function customValueExpression(column: string, definition: CustomFieldDefinition): RawBuilder<unknown> {
  const json = sql`${sql.ref(column)} -> ${definition.key}`;
  if (definition.type === 'money') return sql`(${json} ->> 'amount')::numeric`;
  if (definition.type === 'number') return sql`(${sql.ref(column)} ->> ${definition.key})::numeric`;
  return sql`${sql.ref(column)} ->> ${definition.key}`;
}

/**
 * A keyset sort column over a custom field. Records without a value sort as the lowest value
 * (-Infinity, or empty text), so the (value, id) row comparison never meets a NULL. There is
 * no index on these expressions: sorting a large list by a custom field reads the tenant's rows.
 */
export function customSortColumn(column: string, definition: CustomFieldDefinition): SortColumn {
  const value = customValueExpression(column, definition);
  return numericTypes.has(definition.type)
    ? { expression: sql`coalesce(${value}, '-Infinity'::numeric)`, type: 'numeric' }
    : { expression: sql`coalesce(${value}, '')`, type: 'text' };
}

/** `custom_fields @> {"key": value}`: an equality the GIN (jsonb_path_ops) index answers. */
export function customContains(column: string, key: string, value: unknown): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} @> ${JSON.stringify({ [key]: value })}::jsonb`;
}

export function customHasValue(column: string, key: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} ? ${key}`;
}

/**
 * custom_fields read as text: the CamelCasePlugin renames the keys of every object in a result
 * (`last_call` would arrive as `lastCall`), and custom field keys must arrive as stored.
 */
export function customFieldsText(alias: string) {
  return sql<string>`${sql.ref(`${alias}.customFields`)}::text`.as('customFieldsJson');
}

