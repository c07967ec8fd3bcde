import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { isApiError } from '../api';

/**
 * Turns any thrown error into a sentence for the user: a translated text for codes we know,
 * otherwise the server's own message (the server writes them for people, in English).
 */
export function describeError(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    return t(`errors.${error.code}`, { defaultValue: error.message });
  }
  return t('errors.unexpected');
}

/**
 * Puts each `details[].field` message under the matching form field and returns what is left
 * for a form-level alert (null when every problem landed on a field).
 */
export function applyServerErrors<Values extends Record<string, unknown>>(
  form: UseFormReturnType<Values>,
  error: unknown,
  t: TFunction,
): string | null {
  if (!isApiError(error)) return describeError(t, error);
  const knownFields = new Set(Object.keys(form.getValues()));
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of error.fieldErrors) {
    // A nested path (customFields.tier) lands on its own input when the form holds its parent.
    if (knownFields.has(detail.field) || knownFields.has(detail.field.split('.')[0])) {
      // Keep the first message per field; more than one under an input is noise.
      fieldErrors[detail.field] ??= detail.message;
    } else {
      unplaced.push(`${detail.field}: ${detail.message}`);
    }
  }
  form.setErrors(fieldErrors);
  if (Object.keys(fieldErrors).length > 0 && unplaced.length === 0) return null;
  const summary = describeError(t, error);
  return unplaced.length > 0 ? `${summary} (${unplaced.join('; ')})` : summary;
}

/** Form inputs hold '' for "no value"; the API wants null (PATCH) or an absent key (POST). */
export function emptyToNull<Values extends Record<string, unknown>>(values: Values): { [K in keyof Values]: Values[K] | null } {
  const result = {} as { [K in keyof Values]: Values[K] | null };
  for (const key of Object.keys(values) as (keyof Values)[]) {
    const value = values[key];
    result[key] = typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? (value.trim() as Values[typeof key]) : value;
  }
  return result;
}

export function omitNulls<Values extends Record<string, unknown>>(values: Values): Partial<Values> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)) as Partial<Values>;
}
