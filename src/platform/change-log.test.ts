import { describe, expect, it } from 'vitest';
import { diffValues } from './change-log.js';

describe('diffValues', () => {
  it('keeps only the fields an update changed', () => {
    expect(diffValues({ name: 'Ada', email: 'a@x.io', updatedAt: new Date(1) }, { name: 'Ada L', email: 'a@x.io', updatedAt: new Date(2) }))
      .toEqual({ before: { name: 'Ada' }, after: { name: 'Ada L' } });
  });

  it('logs every field of a create and of a delete', () => {
    expect(diffValues(null, { name: 'Ada', phone: null })).toEqual({ before: null, after: { name: 'Ada', phone: null } });
    expect(diffValues({ name: 'Ada' }, null)).toEqual({ before: { name: 'Ada' }, after: null });
  });

  it('writes dates as ISO text', () => {
    expect(diffValues(null, { closedAt: new Date('2026-01-02T03:04:05.000Z') }).after).toEqual({ closedAt: '2026-01-02T03:04:05.000Z' });
  });
});
