// Custom field cells in an import: a CSV cell is text, so it is first read as the field's
// type (numbers, yes/no, lists split on ; or |, money as "12.50 EUR"), then checked and
// brought to stored form by validateCustomFields, the same check every API write gets.
import type { Trx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { customFieldsRepository } from './customers.custom-fields.repository.js';
import { validateCustomFields } from './customers.custom-fields.service.js';
import type { CustomFieldDefinition } from './customers.custom-fields.values.js';
import type { ImportObject, RowRejection } from './customers.import.mapping.js';

const truthy = new Set(['true', 'yes', 'y', '1', '是', '对']);
const falsy = new Set(['false', 'no', 'n', '0', '否', '不']);

function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The cell as the value the field's type expects; what does not read is passed on for the check to refuse. */
export function readCustomCell(definition: CustomFieldDefinition, text: string): unknown {
  switch (definition.type) {
    case 'number': {
      const number = Number(text.replace(/,/g, ''));
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return truthy.has(text.toLowerCase()) ? true : falsy.has(text.toLowerCase()) ? false : text;
    case 'multi_select':
      return text.split(/[;|]/).map((option) => option.trim()).filter(Boolean);
    case 'money': {
      const match = /^([A-Za-z]{3})?\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]{3})?$/.exec(text.trim());
      const currency = (match?.[1] ?? match?.[3])?.toUpperCase();
      if (!match || !currency) return text;
      return { amount: Math.round(Number(match[2]) * 10 ** minorUnits(currency)), currency };
    }
    default:
      return text;
  }
}

export interface CustomFieldChecker {
  /** The row's custom values in stored form, or why the row is rejected. */
  check(trx: Trx, values: Record<string, unknown>): Promise<{ values: Record<string, unknown> } | { problem: RowRejection }>;
  /** Required fields a new record would lack. */
  missingRequired(values: Record<string, unknown> | undefined): RowRejection | undefined;
  /** Keys of the fields marked sensitive, whose values are stored sealed. */
  sensitiveKeys: Set<string>;
}

export async function loadCustomFieldChecker(trx: Trx, tenantId: string, object: ImportObject): Promise<CustomFieldChecker> {
  const definitions = new Map((await customFieldsRepository.list(trx, tenantId, object)).map((definition) => [definition.key, definition]));
  const required = [...definitions.values()].filter((definition) => definition.required);
  return {
    sensitiveKeys: new Set([...definitions.values()].filter((definition) => definition.sensitive).map((definition) => definition.key)),
    async check(trx, values) {
      const typed = Object.fromEntries(Object.entries(values).map(([key, text]) => {
        const definition = definitions.get(key);
        return [key, definition && typeof text === 'string' ? readCustomCell(definition, text) : text];
      }));
      try {
        return { values: await validateCustomFields(trx, tenantId, object, typed, { partial: true }) };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const detail = (error.details as Array<{ field: string }> | undefined)?.[0];
        return { problem: { code: error.code, field: detail?.field ?? null, message: error.message } };
      }
    },
    missingRequired(values) {
      const missing = required.find((definition) => values?.[definition.key] === undefined);
      return missing && { code: 'custom_field.required', field: `customFields.${missing.key}`, message: `${missing.label} is required` };
    },
  };
}
