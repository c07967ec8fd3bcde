// Custom fields marked sensitive are stored encrypted: each value as { "$enc": ciphertext of its
// JSON } under the workspace's data key, with `<object>.customFields.<key>` as the field name in
// the associated data (so a value copied to another field does not decrypt). No valid value has
// that shape, so readers find sealed values without the definitions; writers seal what the
// definitions mark. Filters and sorts cannot read ciphertext, so they refuse sensitive fields.
import { isDeepStrictEqual } from 'node:util';
import type { Trx } from '../../platform/db.js';
import type { FieldEncryption, TenantCipher } from '../../platform/encryption/encryption.service.js';
import { customFieldsRepository } from './customers.custom-fields.repository.js';

type CustomFieldValues = Record<string, unknown>;
interface SealedValue {
  $enc: string;
}

export const sealedFieldName = (object: string, key: string) => `${object}.customFields.${key}`;

export function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as SealedValue).$enc === 'string' && Object.keys(value).length === 1;
}

export function sealValue(cipher: TenantCipher, object: string, key: string, value: unknown): SealedValue {
  return { $enc: cipher.encrypt(sealedFieldName(object, key), JSON.stringify(value)) };
}

export async function openValue(encryption: Pick<FieldEncryption, 'decrypt'>, trx: Trx, tenantId: string, object: string, key: string, value: SealedValue): Promise<unknown> {
  return JSON.parse((await encryption.decrypt(trx, tenantId, sealedFieldName(object, key), value.$enc))!);
}

/** The values with every sealed one decrypted; the same object when none is sealed. */
export async function openCustomFields(
  encryption: Pick<FieldEncryption, 'decrypt'>, trx: Trx, tenantId: string, object: string, values: CustomFieldValues,
): Promise<CustomFieldValues> {
  const entries = Object.entries(values);
  if (!entries.some(([, value]) => isSealed(value))) return values;
  const opened: CustomFieldValues = {};
  for (const [key, value] of entries) opened[key] = isSealed(value) ? await openValue(encryption, trx, tenantId, object, key, value) : value;
  return opened;
}

/** The keys of the object's custom fields marked sensitive. */
export async function listSensitiveKeys(trx: Trx, tenantId: string, object: string): Promise<Set<string>> {
  const definitions = await customFieldsRepository.list(trx, tenantId, object);
  return new Set(definitions.filter((definition) => definition.sensitive).map((definition) => definition.key));
}

/** Seals the sensitive values of a checked change (null, a removal, stays null). */
export function sealChange(cipher: TenantCipher, object: string, sensitiveKeys: Set<string>, change: CustomFieldValues): CustomFieldValues {
  return Object.fromEntries(Object.entries(change).map(([key, value]) => [
    key, value === null || !sensitiveKeys.has(key) ? value : sealValue(cipher, object, key, value),
  ]));
}

/**
 * A checked change as it is stored: values of sensitive fields sealed, and those equal to what
 * the record holds (`opened`, decrypted) left out, since a new ciphertext of the same value is
 * no change.
 */
export async function sealCustomFieldChange(
  encryption: Pick<FieldEncryption, 'cipherFor'>, trx: Trx, tenantId: string, object: string, change: CustomFieldValues, opened: CustomFieldValues = {},
): Promise<CustomFieldValues> {
  if (!Object.values(change).some((value) => value !== null)) return change;
  const sensitiveKeys = await listSensitiveKeys(trx, tenantId, object);
  const sealing = Object.entries(change).filter(([key, value]) => value !== null && sensitiveKeys.has(key));
  if (sealing.length === 0) return change;
  const unchanged = new Set(sealing.filter(([key, value]) => isDeepStrictEqual(value, opened[key])).map(([key]) => key));
  const cipher = await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true });
  const kept = Object.fromEntries(Object.entries(change).filter(([key]) => !unchanged.has(key)));
  return sealChange(cipher, object, sensitiveKeys, kept);
}
