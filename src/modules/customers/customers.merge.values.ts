// Which value the survivor keeps for each field: the one from the record the user chose, by
// default the survivor's own, or else the first merged record's that is not empty. Values are
// copied as stored (they were normalised when written); an encrypted phone moves with its
// blind index, and a company's domain is derived again from the kept website and email.
import type { Permissions } from '../../platform/authorization/authorization.js';
import { FieldError } from '../../platform/errors.js';
import type { MergeableObject } from './customers.merge-hooks.js';
import { domainFrom } from './customers.normalise.js';

export type StoredRecord = Record<string, unknown> & { id: string; ownerId: string | null; customFields?: Record<string, unknown> };

export const mergeFields: Record<MergeableObject, readonly string[]> = {
  contact: ['name', 'email', 'phone', 'title', 'companyId', 'ownerId'],
  company: ['name', 'website', 'email', 'phone', 'industry', 'city', 'country', 'ownerId'],
};

const customPrefix = 'customFields.';
const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** Refuses unknown fields and ids that are not among the merged records, naming `fields.<field>`. */
export function checkFieldChoices(object: MergeableObject, choices: Record<string, string>, ids: string[]) {
  for (const [field, id] of Object.entries(choices)) {
    const isKnown = mergeFields[object].includes(field) || (field.startsWith(customPrefix) && field.length > customPrefix.length);
    if (!isKnown) throw new FieldError('merge.field_unknown', `fields.${field}`, `${object} has no field ${field} to choose`);
    if (!ids.includes(id)) throw new FieldError('merge.field_source_invalid', `fields.${field}`, 'must be the survivor’s id or one of mergedIds');
  }
}

/** The survivor's new values: only fields that change, in the table's (camelCase) column names. */
export function chooseValues(object: MergeableObject, permissions: Permissions, survivor: StoredRecord, merged: StoredRecord[], choices: Record<string, string>) {
  const records = new Map([survivor, ...merged].map((record) => [record.id, record]));
  const hidden = new Set(permissions.hiddenFields(object));
  const values: Record<string, unknown> = {};
  for (const field of mergeFields[object]) {
    const source = choices[field] ? records.get(choices[field])!
      // A field the actor cannot see is not filled in from records they did not choose.
      : isEmpty(survivor[field]) && !hidden.has(field) ? merged.find((record) => !isEmpty(record[field])) ?? survivor : survivor;
    if (source === survivor) continue;
    values[field] = source[field];
    if (object === 'contact' && field === 'phone') values.phoneIndex = source.phoneIndex ?? null;
  }
  if (object === 'company' && ('website' in values || 'email' in values)) {
    const website = 'website' in values ? values.website : survivor.website;
    const email = 'email' in values ? values.email : survivor.email;
    values.domain = domainFrom(website as string | null, email as string | null);
  }
  const customFields = mergeCustomFields(survivor, merged, records, choices);
  if (customFields) values.customFields = customFields;
  return values;
}

/** Survivor's keys win over merged records' keys, unless the user chose otherwise. */
function mergeCustomFields(survivor: StoredRecord, merged: StoredRecord[], records: Map<string, StoredRecord>, choices: Record<string, string>) {
  if (survivor.customFields === undefined) return undefined;
  const combined: Record<string, unknown> = {};
  for (const record of [...merged].reverse()) Object.assign(combined, record.customFields ?? {});
  Object.assign(combined, survivor.customFields);
  for (const [field, id] of Object.entries(choices)) {
    if (!field.startsWith(customPrefix)) continue;
    const key = field.slice(customPrefix.length);
    const value = records.get(id)!.customFields?.[key];
    if (value === undefined) delete combined[key];
    else combined[key] = value;
  }
  return JSON.stringify(combined) === JSON.stringify(survivor.customFields) ? undefined : combined;
}
