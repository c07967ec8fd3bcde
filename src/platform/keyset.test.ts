import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldError } from './errors.js';
import { sql } from 'kysely';
import { checkedCursorValue, containsPattern, decodeCursor, encodeCursor, type KeysetSort } from './keyset.js';

describe('keyset cursors', () => {
  it('round-trip any sort value and id', () => {
    fc.assert(fc.property(fc.string(), fc.uuid(), (value, id) => {
      expect(decodeCursor(encodeCursor(value, id))).toEqual([value, id]);
    }));
  });

  it('carry dates as ISO text', () => {
    const at = new Date('2026-11-22T10:00:00.123Z');
    expect(decodeCursor(encodeCursor(at, '0190f3c2-0000-7000-8000-000000000000'))[0]).toBe('2026-11-22T10:00:00.123Z');
  });

  it('refuse anything they did not make, naming the cursor field', () => {
    for (const forged of ['nope', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["a","not-a-uuid"]').toString('base64url')]) {
      expect(() => decodeCursor(forged)).toThrow(FieldError);
    }
  });

  it('take a sort value only if PostgreSQL can read it as the sort column type', () => {
    const sortOf = (type: KeysetSort['column']['type']): KeysetSort => ({ column: { expression: sql.ref('x'), type }, descending: false });
    for (const value of ['2024-01-01 00:05:16.019+00', '2026-11-22T10:00:00.123Z', '2024-02-29 23:59:59+05:30']) {
      expect(checkedCursorValue(sortOf('timestamptz'), value)).toBe(value);
    }
    for (const value of ['Ada Lovelace', '2023-02-29 00:00:00+00', '2024-01-01 24:00:00+00', '2024-01-01']) {
      expect(() => checkedCursorValue(sortOf('timestamptz'), value), value).toThrow(FieldError);
    }
    expect(checkedCursorValue(sortOf('numeric'), '-1.5e3')).toBe('-1.5e3');
    expect(() => checkedCursorValue(sortOf('numeric'), 'Ada')).toThrow(FieldError);
    expect(checkedCursorValue(sortOf('text'), 'Ada')).toBe('Ada');
    expect(() => decodeCursor(Buffer.from(JSON.stringify(['Ada', '-'.repeat(36)])).toString('base64url'))).toThrow(FieldError);
  });

  it('treats % and _ in a search as literal characters', () => {
    expect(containsPattern('50%_off')).toBe('%50\\%\\_off%');
  });
});
