import { describe, expect, it } from 'vitest';
import { createReadBatcher, maxBatchSize } from './read-batches.js';

/** A batcher over a fake table of `value-<id>` rows, recording each read it is asked for. */
function recordingBatcher(options: { missing?: string[]; failFor?: string } = {}) {
  const reads: Array<{ context: string; ids: string[] }> = [];
  const sizes: number[] = [];
  const batcher = createReadBatcher<string, string>({
    onBatch: (size) => sizes.push(size),
    read: async (context, ids) => {
      reads.push({ context, ids });
      if (context === options.failFor) throw new Error(`no connection for ${context}`);
      return new Map(ids.filter((id) => !options.missing?.includes(id)).map((id) => [id, `${context}:value-${id}`]));
    },
  });
  return { batcher, reads, sizes };
}

describe('read batches', () => {
  it('answers the loads of one turn with one read of their distinct ids, each load its own value', async () => {
    const { batcher, reads, sizes } = recordingBatcher({ missing: ['gone'] });
    const values = await Promise.all(['a', 'b', 'a', 'gone', 'c'].map((id) => batcher.load('tenant-1', 'tenant-1', id)));
    expect(values).toEqual(['tenant-1:value-a', 'tenant-1:value-b', 'tenant-1:value-a', undefined, 'tenant-1:value-c']);
    expect(reads).toEqual([{ context: 'tenant-1', ids: ['a', 'b', 'gone', 'c'] }]);
    expect(sizes).toEqual([4]);
  });

  it('never mixes batch keys: each key is read with its own context', async () => {
    const { batcher, reads } = recordingBatcher();
    const values = await Promise.all([batcher.load('one', 'one', 'x'), batcher.load('two', 'two', 'x'), batcher.load('one', 'one', 'y')]);
    expect(values).toEqual(['one:value-x', 'two:value-x', 'one:value-y']);
    expect(reads).toEqual([{ context: 'one', ids: ['x', 'y'] }, { context: 'two', ids: ['x'] }]);
  });

  it('reads loads of later turns in batches of their own', async () => {
    const { batcher, reads } = recordingBatcher();
    expect(await batcher.load('k', 'k', 'first')).toBe('k:value-first');
    expect(await batcher.load('k', 'k', 'second')).toBe('k:value-second');
    expect(reads.map((read) => read.ids)).toEqual([['first'], ['second']]);
  });

  it(`splits a turn's loads into reads of at most ${maxBatchSize} ids`, async () => {
    const { batcher, reads } = recordingBatcher();
    const ids = Array.from({ length: maxBatchSize * 2 + 5 }, (_, index) => `id-${index}`);
    const values = await Promise.all(ids.map((id) => batcher.load('k', 'k', id)));
    expect(values).toEqual(ids.map((id) => `k:value-${id}`));
    expect(reads.map((read) => read.ids.length)).toEqual([maxBatchSize, maxBatchSize, 5]);
  });

  it('rejects every load of a failed read, and only those', async () => {
    const { batcher } = recordingBatcher({ failFor: 'broken' });
    const results = await Promise.allSettled([batcher.load('broken', 'broken', 'a'), batcher.load('broken', 'broken', 'b'), batcher.load('fine', 'fine', 'a')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('no connection for broken');
  });
});
