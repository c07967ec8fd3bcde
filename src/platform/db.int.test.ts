import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { startTestApp } from '../../test/test-app.js';
import type { Trx } from './db.js';

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

  it('run each transaction whole on its connection: one that fails rolls back, and the connection serves the next with its own tenant', async () => {
    const test = await startTestApp();
    try {
      const tenantOf = async (trx: Trx) => (await sql<{ tenant: string }>`select current_setting('app.tenant_id') as tenant`.execute(trx)).rows[0].tenant;
      const [first, second] = [randomUUID(), randomUUID()];
      const seen: Trx[] = [];
      await expect(test.database.forTenant(first, async (trx) => {
        seen.push(trx);
        expect(await tenantOf(trx)).toBe(first);
        await sql`select 1 / 0`.execute(trx);
      })).rejects.toThrow(/division by zero/);
      // Queries started together in one transaction run in turn on its connection.
      const tenants = await test.database.forTenant(second, async (trx) => {
        seen.push(trx);
        return Promise.all(Array.from({ length: 5 }, () => tenantOf(trx)));
      });
      expect(tenants).toEqual(Array.from({ length: 5 }, () => second));
      await test.database.forTenant(first, async (trx) => {
        seen.push(trx);
        expect(await tenantOf(trx)).toBe(first);
      });
      // Each transaction its own query interface, though they ran on one connection: state kept
      // per transaction is keyed by it (platform/db.ts).
      expect(new Set(seen).size).toBe(3);
    } finally {
      await test.close();
    }
  });

  it('close every connection of every pool when the database closes, not when they idle out', async () => {
    const test = await startTestApp();
    try {
      const owner = await test.signup();
      await owner.post('/api/v1/contacts', { name: 'Read back' });
      expect((await owner.get('/api/v1/contacts')).body.items).toHaveLength(1);
      const open = () => test.database.pools.map((pool) => pool.totalCount);
      open().forEach((count) => expect(count).toBeGreaterThan(0));
      await test.rapport.close();
      await test.database.close();
      expect(open()).toEqual(open().map(() => 0));
      if (test.database.kind === 'postgres') {
        // The server sees each connection go shortly after its pool let it go.
        const others = async () => Number((await test.superuserQuery<{ n: string }>(
          'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'))[0].n);
        await vi.waitFor(async () => expect(await others()).toBe(0), { timeout: 5000, interval: 50 });
      }
    } finally {
      await test.close();
    }
  });
});
