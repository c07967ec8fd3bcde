import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/test-app.js';

describe('database connection pools', () => {
  it('keep a connection for DATABASE_POOL_IDLE_SECONDS after its last use, then close it', async () => {
    const test = await startTestApp({ databasePoolIdleSeconds: 2 });
    try {
      const owner = await test.signup();
      await owner.post('/api/v1/contacts', { name: 'Kept warm' });
      const reads = await Promise.all(Array.from({ length: 8 }, () => owner.get('/api/v1/contacts')));
      reads.forEach((read) => expect(read.body.items).toHaveLength(1));
      const open = () => test.database.pools.map((pool) => pool.totalCount);
      const opened = open();
      opened.forEach((count) => expect(count).toBeGreaterThan(0));
      await sleep(1000);
      expect(open()).toEqual(opened);
      await sleep(1800);
      expect(open()).toEqual(opened.map(() => 0));
      // The next request opens a connection again.
      expect((await owner.get('/api/v1/contacts')).body.items).toHaveLength(1);
    } finally {
      await test.close();
    }
  });
});
