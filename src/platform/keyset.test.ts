import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldError } from './errors.js';
import { containsPattern, decodeCursor, encodeCursor } from './keyset.js';

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

  it('treats % and _ in a search as literal characters', () => {
    expect(containsPattern('50%_off')).toBe('%50\\%\\_off%');
  });
});
