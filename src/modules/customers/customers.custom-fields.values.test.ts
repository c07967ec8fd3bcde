import { describe, expect, it } from 'vitest';
import { InvalidValue, isBlank, normaliseCustomValue, type CustomFieldDefinition } from './customers.custom-fields.values.js';

const definition = (type: CustomFieldDefinition['type'], options: string[] = []): CustomFieldDefinition => ({
  id: '0190f3d0-0000-7000-8000-000000000000', object: 'contact', key: 'field', label: 'Field', type, options,
  referenceObject: type === 'reference' ? 'company' : null, required: false, sensitive: false, position: 0,
});

describe('custom field values', () => {
  it('accepts real calendar dates only', () => {
    expect(normaliseCustomValue(definition('date'), '2024-02-29')).toBe('2024-02-29');
    expect(() => normaliseCustomValue(definition('date'), '2023-02-29')).toThrow(InvalidValue);
  });

  it('stores date-times in UTC and refuses one without an offset', () => {
    expect(normaliseCustomValue(definition('date_time'), '2026-03-01T23:30:00-01:00')).toBe('2026-03-02T00:30:00.000Z');
    expect(() => normaliseCustomValue(definition('date_time'), '2026-03-01T23:30:00')).toThrow(InvalidValue);
  });

  it('keeps money as integer minor units with an upper-case ISO 4217 currency', () => {
    expect(normaliseCustomValue(definition('money'), { amount: -250, currency: 'jpy' })).toEqual({ amount: -250, currency: 'JPY' });
    expect(() => normaliseCustomValue(definition('money'), { amount: 2.5, currency: 'EUR' })).toThrow(/integer/);
    expect(() => normaliseCustomValue(definition('money'), { amount: 1, currency: 'EUR', note: 'x' })).toThrow(/note/);
  });

  it('dedupes multi select options and refuses unknown ones', () => {
    expect(normaliseCustomValue(definition('multi_select', ['a', 'b']), ['b', 'a', 'b'])).toEqual(['b', 'a']);
    expect(() => normaliseCustomValue(definition('multi_select', ['a']), ['c'])).toThrow(/one of: a/);
  });

  it('normalises phones to E.164 and emails to lower case', () => {
    expect(normaliseCustomValue(definition('phone'), '+1 (415) 555-2671')).toBe('+14155552671');
    expect(normaliseCustomValue(definition('email'), ' Ada@Example.ORG ')).toBe('ada@example.org');
  });

  it('treats empty text and empty lists as no value', () => {
    expect([null, '', '  ', []].every(isBlank)).toBe(true);
    expect([0, false, 'x', ['a']].some(isBlank)).toBe(false);
  });
});
