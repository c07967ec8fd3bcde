import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageAnswer, utf8Joined } from './json-text.js';

describe('JSON text pages', () => {
  it('join texts as the same UTF-8 bytes as the joined string, in any script', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' })), fc.string({ unit: 'grapheme' }), (head, texts, tail) => {
      expect(utf8Joined(head, texts, tail).equals(Buffer.from(`${head}${texts.join(',')}${tail}`))).toBe(true);
    }));
  });

  it('answer with the records as PostgreSQL wrote them unless one must change', async () => {
    const items = ['{"id":"a","name":"Ada Allen"}', '{"id":"b","name":"瑞丰集团 😀"}', '{"id":"c","phone":"enc:v1:1:AAAA"}'];
    const reader = { isMasked: false, recordOf: async (json: string) => ({ ...JSON.parse(json) as object, phone: 'opened' }) };
    const plain = await pageAnswer({ items: items.slice(0, 2), nextCursor: null }, reader);
    expect(plain.toString('utf8')).toBe(`{"items":[${items[0]},${items[1]}],"nextCursor":null}`);
    const sealed = await pageAnswer({ items, nextCursor: 'abc' }, reader);
    expect(JSON.parse(sealed.toString('utf8'))).toEqual({ items: [JSON.parse(items[0]), JSON.parse(items[1]), { id: 'c', phone: 'opened' }], nextCursor: 'abc' });
    const masked = await pageAnswer({ items: items.slice(0, 1), nextCursor: null }, { isMasked: true, recordOf: async () => ({ id: 'a' }) });
    expect(masked.toString('utf8')).toBe('{"items":[{"id":"a"}],"nextCursor":null}');
  });
});
