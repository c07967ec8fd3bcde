import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../test/test-app.js';
import { verifyAllChains, verifyChain } from './change-log.js';

let test: TestApp;
let client: TestClient;

beforeAll(async () => {
  test = await startTestApp();
  client = await test.signup();
});
afterAll(() => test.close());

describe('the change log', () => {
  it('records who changed which fields, newest first', async () => {
    const created = await client.post('/api/v1/contacts', { name: 'Ada', email: 'ada@example.com' });
    await client.patch(`/api/v1/contacts/${created.body.id}`, { name: 'Ada Lovelace', email: 'ada@example.com' });
    await client.patch(`/api/v1/contacts/${created.body.id}`, { name: 'Ada Lovelace' });
    const history = await client.get(`/api/v1/audit?entity=contact&id=${created.body.id}`);
    expect(history.statusCode).toBe(200);
    expect(history.body.items.map((item: { operation: string }) => item.operation)).toEqual(['update', 'create']);
    expect(history.body.items[0].changes).toEqual({ name: { before: 'Ada', after: 'Ada Lovelace' } });
    expect(history.body.items[0].actor.id).toBe(client.userId);
    expect(history.body.items[1].changes.email).toEqual({ before: null, after: 'ada@example.com' });
  });

  it('pages the history and keeps other workspaces out', async () => {
    const created = await client.post('/api/v1/contacts', { name: 'Version 0' });
    for (let version = 1; version <= 4; version++) await client.patch(`/api/v1/contacts/${created.body.id}`, { name: `Version ${version}` });
    const first = await client.get(`/api/v1/audit?entity=contact&id=${created.body.id}&limit=2`);
    const second = await client.get(`/api/v1/audit?entity=contact&id=${created.body.id}&limit=2&cursor=${first.body.nextCursor}`);
    const third = await client.get(`/api/v1/audit?entity=contact&id=${created.body.id}&limit=2&cursor=${second.body.nextCursor}`);
    const seqs = [...first.body.items, ...second.body.items, ...third.body.items].map((item: { seq: number }) => item.seq);
    expect(seqs).toHaveLength(5);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    expect(third.body.nextCursor).toBeNull();
    const stranger = await test.signup();
    expect((await stranger.get(`/api/v1/audit?entity=contact&id=${created.body.id}`)).body.items).toEqual([]);
  });

  it('chains each tenant’s rows by hash, and reports the first tampered row', async () => {
    for (let index = 0; index < 5; index++) await client.post('/api/v1/companies', { name: `Company ${index}` });
    const intact = await test.database.forTenant(client.tenantId, (trx) => verifyChain(trx));
    expect(intact.firstBrokenSeq).toBeNull();
    const [{ count }] = await test.superuserQuery('select count(*)::int as count from change_log where tenant_id = $1', [client.tenantId]);
    expect(intact.checked).toBe(count);

    await test.superuserQuery(`update change_log set after = jsonb_set(after, '{name}', '"Forged"') where tenant_id = $1 and seq = 4`, [client.tenantId]);
    const tampered = await test.database.forTenant(client.tenantId, (trx) => verifyChain(trx));
    expect(tampered.firstBrokenSeq).toBe(4);
    const reports = await verifyAllChains(test.database);
    expect(reports.find((report) => report.tenantId === client.tenantId)).toMatchObject({ firstBrokenSeq: 4, checked: 3 });
    expect(reports.filter((report) => report.tenantId !== client.tenantId).every((report) => report.firstBrokenSeq === null)).toBe(true);
  });

  it('gives concurrent writers of one tenant distinct, gapless sequence numbers', async () => {
    const writer = await test.signup();
    await Promise.all(Array.from({ length: 12 }, (_, index) => writer.post('/api/v1/contacts', { name: `Parallel ${index}` })));
    const rows = await test.superuserQuery('select seq from change_log where tenant_id = $1 order by seq', [writer.tenantId]);
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));
    expect((await test.database.forTenant(writer.tenantId, (trx) => verifyChain(trx))).firstBrokenSeq).toBeNull();
  });
});
