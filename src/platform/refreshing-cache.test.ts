import { describe, expect, it } from 'vitest';
import { createRefreshingCache, type Loaded } from './refreshing-cache.js';

function setUp() {
  let clock = 0;
  const cache = createRefreshingCache<{ answer: number }>({ max: 100, ttlMs: 5_000, refreshAfterMs: 4_000, now: () => clock });
  let answer = 0;
  const loads: Array<(loaded: Loaded<{ answer: number }> | undefined) => void> = [];
  // A lookup that stays pending until the test settles it, counting how many were made.
  const load = () => new Promise<Loaded<{ answer: number }> | undefined>((resolve) => loads.push(resolve));
  const settleNext = () => loads.shift()!({ value: { answer: ++answer } });
  const settleWithNothing = () => loads.shift()!(undefined);
  // A first lookup, settled: the key is cached from here on.
  const loadOnce = async (key = 'token') => {
    const pending = cache.get(key, load);
    settleNext();
    return pending;
  };
  return { cache, load, loads, settleNext, settleWithNothing, loadOnce, advance: (ms: number) => { clock += ms; } };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('a refreshing cache', () => {
  it('makes one lookup for many requests that miss at once', async () => {
    const { cache, load, loads, settleNext } = setUp();
    const answers = Array.from({ length: 16 }, () => cache.get('token', load));
    expect(loads).toHaveLength(1);
    settleNext();
    expect((await Promise.all(answers)).map((value) => value?.answer)).toEqual(Array(16).fill(1));
    expect((await cache.get('token', load))?.answer).toBe(1);
    expect(loads).toHaveLength(0);
  });

  it('looks an entry in use up again before it expires, answering from it meanwhile', async () => {
    const { cache, load, loads, settleNext, loadOnce, advance } = setUp();
    await loadOnce();
    advance(4_100);
    // Old enough to refresh: answered at once, one background lookup.
    expect((await cache.get('token', load))?.answer).toBe(1);
    expect((await cache.get('token', load))?.answer).toBe(1);
    expect(loads).toHaveLength(1);
    settleNext();
    await flush();
    // Past the first entry's expiry, the refreshed one answers without a lookup.
    advance(1_000);
    expect((await cache.get('token', load))?.answer).toBe(2);
    expect(loads).toHaveLength(0);
  });

  it('never answers from an entry older than its life: it waits for a lookup', async () => {
    const { cache, load, loads, settleNext, loadOnce, advance } = setUp();
    await loadOnce();
    advance(5_000);
    const late = cache.get('token', load);
    expect(loads).toHaveLength(1);
    settleNext();
    expect((await late)?.answer).toBe(2);
  });

  it('keeps an entry no longer than the life its lookup gave it', async () => {
    const { cache, loads, advance } = setUp();
    const shortLived = () => Promise.resolve({ value: { answer: 7 }, ttlMs: 1_000 });
    expect((await cache.get('session', shortLived))?.answer).toBe(7);
    advance(1_000);
    const waiting = cache.get('session', () => new Promise((resolve) => loads.push(resolve)));
    expect(loads).toHaveLength(1);
    loads[0](undefined);
    expect(await waiting).toBeUndefined();
  });

  it('caches no answer for a lookup that found nothing', async () => {
    const { cache, load, loads, settleWithNothing } = setUp();
    const missing = cache.get('unknown', load);
    settleWithNothing();
    expect(await missing).toBeUndefined();
    void cache.get('unknown', load);
    expect(loads).toHaveLength(1);
  });

  it('drops a lookup in flight when entries are forgotten, so the old answer does not come back', async () => {
    const { cache, load, loads, settleNext, settleWithNothing, loadOnce, advance } = setUp();
    await loadOnce();
    advance(4_100);
    await cache.get('token', load); // starts a refresh that will answer "still valid"
    cache.delete('token'); // revoked meanwhile
    settleNext();
    await flush();
    const after = cache.get('token', load);
    expect(loads).toHaveLength(1);
    settleWithNothing();
    expect(await after).toBeUndefined();

    const other = await loadOnce('other');
    cache.deleteWhere((value) => value.answer === other?.answer);
    void cache.get('other', load);
    expect(loads).toHaveLength(1);
  });
});
