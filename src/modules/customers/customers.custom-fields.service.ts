// Custom fields: administrators define typed fields per object (contact, company; more objects
// declare themselves with declareCustomFieldObject), and every write of a record checks its
// values against the definitions through validateCustomFields — also used by CSV import.
import { isDeepStrictEqual } from 'node:util';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import type { Authorization } from '../../platform/authorization/authorization.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { AppError, ConflictError, FieldError, NotFoundError, type FieldProblem } from '../../platform/errors.js';
import { customFieldsRepository as repository, type DefinitionValues } from './customers.custom-fields.repository.js';
import type { CreateCustomField, UpdateCustomField } from './customers.custom-fields.schemas.js';
import { InvalidValue, isBlank, normaliseCustomValue, type CustomFieldDefinition } from './customers.custom-fields.values.js';
import { isSealed, openValue, sealValue } from './customers.custom-fields.sealing.js';
import type { FieldEncryption, TenantCipher } from '../../platform/encryption/encryption.service.js';

export interface CustomFieldObject {
  /** The object name used in the API, grants and the change log: `contact`, `deal`, ... */
  name: string;
  /** The table holding its records, with a `custom_fields jsonb` column. */
  table: string;
}

const objects = new Map<string, CustomFieldObject>();

/** Makes an object's records carry custom fields; its module calls this when it loads. */
export function declareCustomFieldObject(object: CustomFieldObject): void {
  objects.set(object.name, object);
}
declareCustomFieldObject({ name: 'contact', table: 'contact' });
declareCustomFieldObject({ name: 'company', table: 'company' });

export const customFieldObjectNames = (): string[] => [...objects.keys()];

function tableOf(object: string, field = 'object'): string {
  const declared = objects.get(object);
  if (!declared) throw new FieldError('custom_field.object_unknown', field, `Custom fields exist for ${customFieldObjectNames().join(', ')}, not ${object}`);
  return declared.table;
}

export type CustomFieldValues = Record<string, unknown>;

async function checkValue(trx: Trx, tenantId: string, definition: CustomFieldDefinition, value: unknown): Promise<unknown> {
  const stored = normaliseCustomValue(definition, value);
  if (definition.type === 'reference' && !(await repository.recordExists(trx, tenantId, tableOf(definition.referenceObject!), stored as string))) {
    throw new InvalidValue(`must be the id of a ${definition.referenceObject} in this workspace`);
  }
  return stored;
}

/**
 * Checks custom field values against the object's definitions and returns them in stored form;
 * a blank value becomes null (remove the key). `partial` is an update: required fields that are
 * not mentioned keep their value. Every problem is reported at once, each naming
 * `customFields.<key>`, with the first problem's code (custom_field.unknown, .required, .invalid).
 */
export async function validateCustomFields(
  trx: Trx, tenantId: string, object: string, values: CustomFieldValues, { partial = false }: { partial?: boolean } = {},
): Promise<CustomFieldValues> {
  const definitions = new Map((await repository.list(trx, tenantId, object)).map((definition) => [definition.key, definition]));
  const problems: Array<FieldProblem & { code: string }> = [];
  const result: CustomFieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    const field = `customFields.${key}`;
    const definition = definitions.get(key);
    if (!definition) {
      problems.push({ code: 'custom_field.unknown', field, message: `${object} has no custom field ${key}` });
    } else if (isBlank(value)) {
      if (definition.required) problems.push({ code: 'custom_field.required', field, message: `${definition.label} is required` });
      else result[key] = null;
    } else {
      try {
        result[key] = await checkValue(trx, tenantId, definition, value);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        problems.push({ code: 'custom_field.invalid', field, message: `${definition.label} ${error.message}` });
      }
    }
  }
  if (!partial) {
    for (const definition of definitions.values()) {
      if (definition.required && !(definition.key in values)) {
        problems.push({ code: 'custom_field.required', field: `customFields.${definition.key}`, message: `${definition.label} is required` });
      }
    }
  }
  if (problems.length) {
    throw new AppError(400, problems[0].code, problems[0].message, problems.map(({ field, message }) => ({ field, message })));
  }
  return result;
}

/** The stored values after applying a checked change (null removes a key). */
export function applyCustomFields(current: CustomFieldValues, change: CustomFieldValues): CustomFieldValues {
  const next = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

function checkDefinition(values: Pick<DefinitionValues, 'type' | 'options' | 'referenceObject'>) {
  const isSelect = values.type === 'single_select' || values.type === 'multi_select';
  if (isSelect && values.options.length === 0) throw new FieldError('custom_field.options_required', 'options', 'A select field needs at least one option');
  if (!isSelect && values.options.length > 0) throw new FieldError('custom_field.options_unexpected', 'options', 'Only select fields have options');
  if (new Set(values.options).size !== values.options.length) throw new FieldError('custom_field.options_invalid', 'options', 'Options must be different from each other');
  if (values.type === 'reference') {
    if (!values.referenceObject || !['contact', 'company'].includes(values.referenceObject)) {
      throw new FieldError('custom_field.reference_invalid', 'referenceObject', 'A reference field points at a contact or a company');
    }
  } else if (values.referenceObject) {
    throw new FieldError('custom_field.reference_invalid', 'referenceObject', 'Only reference fields point at records');
  }
}

const deleteBatchSize = 500;
const convertBatchSize = 500;

/** Whether a role's field rules hide a custom field: a rule on customFields.<key>, or on customFields. */
export function isCustomFieldHidden(hiddenFields: string[], key: string): boolean {
  return hiddenFields.includes('customFields') || hiddenFields.includes(`customFields.${key}`);
}

export function createCustomFieldService({ database, authorization, encryption }: { database: Database; authorization: Authorization; encryption: FieldEncryption }) {
  async function getDefinition(trx: Trx, tenantId: string, id: string, forUpdate = false) {
    const definition = await repository.find(trx, tenantId, id, forUpdate);
    if (!definition) throw new NotFoundError('custom_field', id);
    return definition;
  }

  /** A new type or option list must still fit every stored value, unchanged. */
  async function assertValuesFit(trx: Trx, tenantId: string, definition: CustomFieldDefinition) {
    const stored = await repository.distinctValues(trx, tenantId, tableOf(definition.object), definition.key, 100_000);
    const values = await Promise.all(stored.map((value) => (isSealed(value) ? openValue(encryption, trx, tenantId, definition.object, definition.key, value) : value)));
    for (const value of values) {
      let fits = false;
      try {
        fits = isDeepStrictEqual(normaliseCustomValue(definition, value), value);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
      }
      if (!fits) {
        throw new FieldError('custom_field.values_do_not_fit', 'type', `Stored value ${JSON.stringify(value)} would not fit; clear it on the records first`);
      }
    }
  }

  /**
   * Seals every stored value of a field just marked sensitive, or opens them when it no longer
   * is, in batches inside the definition change's transaction. Rewriting the stored form is not
   * a change of the records: their history and updated_at stay as they are.
   */
  async function convertValues(trx: Trx, tenantId: string, definition: CustomFieldDefinition) {
    const table = tableOf(definition.object);
    const cipher = definition.sensitive ? await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true }) : undefined;
    let afterId: string | null = null;
    for (;;) {
      const batch = await repository.listValuesAfter(trx, tenantId, table, definition.key, afterId, convertBatchSize);
      for (const { id, value } of batch) {
        if (cipher && !isSealed(value)) await repository.setStoredValue(trx, tenantId, table, id, definition.key, sealValue(cipher, definition.object, definition.key, value));
        if (!cipher && isSealed(value)) await repository.setStoredValue(trx, tenantId, table, id, definition.key, await openValue(encryption, trx, tenantId, definition.object, definition.key, value));
      }
      if (batch.length < convertBatchSize) return;
      afterId = batch[batch.length - 1].id;
    }
  }

  return {
    /**
     * The key rotation's batch for one object's records: sealed values under an older key
     * version are sealed again under the current one (registered with the field encryption).
     */
    rekeyBatch(object: string, tenantId: string, afterId: string | null, limit: number): Promise<{ lastId: string | null; changed: number }> {
      const table = tableOf(object);
      return database.forTenant(tenantId, async (trx) => {
        const records = await repository.listRecordsAfter(trx, tenantId, table, afterId, limit);
        let changed = 0;
        let cipher: TenantCipher | undefined;
        for (const record of records) {
          for (const [key, value] of Object.entries(record.customFields)) {
            if (!isSealed(value)) continue;
            cipher ??= await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true });
            if (cipher.isCurrent(value.$enc)) continue;
            await repository.setStoredValue(trx, tenantId, table, record.id, key, sealValue(cipher, object, key, await openValue(encryption, trx, tenantId, object, key, value)));
            changed++;
          }
        }
        return { lastId: records.length === limit ? records[records.length - 1].id : null, changed };
      });
    },

    /** The definitions the actor's role may see (hidden fields are left out). */
    async list(actor: Actor, object?: string): Promise<CustomFieldDefinition[]> {
      if (object) tableOf(object);
      const permissions = await authorization.of(actor);
      const definitions = await database.readTenant(actor.tenantId, (trx) => repository.list(trx, actor.tenantId, object));
      return definitions.filter((definition) => !isCustomFieldHidden(permissions.hiddenFields(definition.object), definition.key));
    },

    async create(actor: Actor, input: CreateCustomField): Promise<CustomFieldDefinition> {
      assertAdministrator(actor);
      tableOf(input.object);
      const values: DefinitionValues = {
        object: input.object, key: input.key, label: input.label.trim(), type: input.type, options: input.options ?? [],
        referenceObject: input.referenceObject ?? null, required: input.required ?? false, sensitive: input.sensitive ?? false, position: input.position ?? 0,
      };
      if (!values.label) throw new FieldError('validation.failed', 'label', 'must not be empty');
      checkDefinition(values);
      try {
        return await database.forTenant(actor.tenantId, async (trx) => {
          const definition = await repository.insert(trx, actor.tenantId, uuidv7(), values);
          await appendChange(trx, actor, { entity: 'custom_field', entityId: definition.id, operation: 'create', after: { ...values } });
          return definition;
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictError('custom_field.key_taken', 'key', `${input.object} already has a custom field ${input.key}`);
        throw error;
      }
    },

    async update(actor: Actor, id: string, input: UpdateCustomField): Promise<CustomFieldDefinition> {
      assertAdministrator(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const before = await getDefinition(trx, actor.tenantId, id, true);
        const label = input.label?.trim();
        if (label === '') throw new FieldError('validation.failed', 'label', 'must not be empty');
        const next: CustomFieldDefinition = Object.assign({}, before, input, label ? { label } : {});
        if (next.type !== before.type && (next.type === 'reference' || before.type === 'reference')) {
          throw new FieldError('custom_field.type_change_refused', 'type', 'A reference field cannot change type, nor can a field become one');
        }
        if (next.type !== before.type && (next.sensitive || before.sensitive)) {
          throw new FieldError('custom_field.type_change_refused', 'type', 'A sensitive field cannot change type; unmark it as sensitive first');
        }
        checkDefinition(next);
        if (next.type !== before.type || !isDeepStrictEqual(next.options, before.options)) await assertValuesFit(trx, actor.tenantId, next);
        if (next.sensitive !== before.sensitive) await convertValues(trx, actor.tenantId, next);
        const after = await repository.update(trx, actor.tenantId, id, {
          label: next.label, options: next.options, required: next.required, sensitive: next.sensitive, position: next.position, type: next.type,
        });
        const { id: _before, ...loggedBefore } = before;
        const { id: _after, ...loggedAfter } = after;
        await appendChange(trx, actor, { entity: 'custom_field', entityId: id, operation: 'update', before: loggedBefore, after: loggedAfter });
        return after;
      });
    },

    /**
     * Deleting a definition removes its values from every record in the same transaction, in
     * batches, each record's removal in its history; a later field with the same key starts empty.
     */
    async delete(actor: Actor, id: string): Promise<{ removedValues: number }> {
      assertAdministrator(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const definition = await getDefinition(trx, actor.tenantId, id, true);
        const table = tableOf(definition.object);
        let removedValues = 0;
        for (;;) {
          const batch = await repository.removeKeyBatch(trx, actor.tenantId, table, definition.key, deleteBatchSize);
          for (const record of batch) {
            await appendChange(trx, actor, {
              entity: definition.object, entityId: record.id, operation: 'update',
              before: { [`customFields.${definition.key}`]: record.value }, after: { [`customFields.${definition.key}`]: null },
            });
          }
          removedValues += batch.length;
          if (batch.length < deleteBatchSize) break;
        }
        await repository.delete(trx, actor.tenantId, id);
        const { id: _id, ...logged } = definition;
        await appendChange(trx, actor, { entity: 'custom_field', entityId: id, operation: 'delete', before: logged });
        return { removedValues };
      });
    },
  };
}

export type CustomFieldService = ReturnType<typeof createCustomFieldService>;
