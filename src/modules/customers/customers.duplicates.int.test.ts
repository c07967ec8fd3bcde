import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;

beforeAll(async () => {
  test = await startTestApp();
  await test.rapport.jobs.start({ work: true });
  owner = await test.signup('Dedup Inc');
  stranger = await test.signup('Elsewhere');
});
afterAll(() => test.close());

async function created(client: TestClient, path: string, body: object) {
  const response = await client.post(path, body);
  expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function waitForScan(client: TestClient, id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const scan = await client.get(`/api/v1/duplicates/scans/${id}`);
    expect(scan.statusCode).toBe(200);
    if (scan.body.status === 'completed' || scan.body.status === 'failed' || Date.now() > deadline) return scan.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function scan(client: TestClient, object: 'contact' | 'company') {
  const started = await client.post('/api/v1/duplicates/scans', { object });
  expect(started.statusCode, JSON.stringify(started.body)).toBe(202);
  return waitForScan(client, started.body.id);
}

describe('duplicate warnings on create and update', () => {
  it('warns about a contact with the same phone, and a similar name at the same company', async () => {
    const company = await created(owner, '/api/v1/companies', { name: 'Warning Works' });
    const first = await created(owner, '/api/v1/contacts', { name: 'Grace Hopper', phone: '+1 202 555 0143', companyId: company.id });
    expect(first.warnings).toBeUndefined();
    const second = await created(owner, '/api/v1/contacts', { name: 'Grace M. Hopper', phone: '(202) 555-0143'.replace(/^/, '+1 '), companyId: company.id });
    expect(second.warnings.duplicates).toEqual([expect.objectContaining({ id: first.id, name: 'Grace Hopper', reasons: ['name', 'phone'] })]);
    const unrelated = await created(owner, '/api/v1/contacts', { name: 'Somebody Else', companyId: company.id });
    expect(unrelated.warnings).toBeUndefined();
    const renamed = await owner.patch(`/api/v1/contacts/${unrelated.id}`, { name: 'Grace Hopper' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.body.warnings.duplicates.map((candidate: any) => candidate.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('warns about a company with the same domain or a similar name', async () => {
    const first = await created(owner, '/api/v1/companies', { name: 'Initech Systems', website: 'initech.example.com' });
    const sameDomain = await created(owner, '/api/v1/companies', { name: 'Completely Different', email: 'sales@initech.example.com' });
    expect(sameDomain.warnings.duplicates).toEqual([expect.objectContaining({ id: first.id, reasons: ['domain'], score: 1 })]);
    const similar = await created(owner, '/api/v1/companies', { name: 'Initech System' });
    expect(similar.warnings.duplicates.map((candidate: any) => candidate.id)).toContain(first.id);
  });

  it('never warns about records in another workspace', async () => {
    await created(stranger, '/api/v1/companies', { name: 'Lonely Company', website: 'lonely.example.com' });
    const mine = await created(owner, '/api/v1/companies', { name: 'Lonely Company', website: 'lonely.example.com' });
    expect(mine.warnings).toBeUndefined();
  });
});

describe('duplicate scan and review queue', () => {
  it('finds planted pairs with their reasons, and a rerun adds no pairs', async () => {
    const company = await created(owner, '/api/v1/companies', { name: 'Scan Target' });
    const a = await created(owner, '/api/v1/contacts', { name: 'Katherine Johnson', companyId: company.id });
    const b = await created(owner, '/api/v1/contacts', { name: 'Katherine Jonson', companyId: company.id });
    const c = await created(owner, '/api/v1/contacts', { name: 'Dorothy Vaughan', phone: '+44 20 7946 0001' });
    const d = await created(owner, '/api/v1/contacts', { name: 'D. Vaughan', phone: '+44 20 7946 0001' });
    const first = await scan(owner, 'contact');
    expect(first).toMatchObject({ status: 'completed', progress: 1 });
    expect(first.pairsFound).toBeGreaterThanOrEqual(2);
    const queue = await owner.get('/api/v1/duplicates?object=contact&status=open&limit=200');
    expect(queue.statusCode).toBe(200);
    const pairOf = (x: string, y: string) => queue.body.items.find((pair: any) => {
      const recordIds = pair.records.map((record: any) => record.id);
      return recordIds.includes(x) && recordIds.includes(y);
    });
    expect(pairOf(a.id, b.id)).toMatchObject({ reasons: ['name'], status: 'open' });
    expect(pairOf(a.id, b.id).records.map((record: any) => record.detail)).toEqual(['Scan Target', 'Scan Target']);
    expect(pairOf(c.id, d.id)).toMatchObject({ reasons: ['phone'] });
    expect(pairOf(c.id, d.id).records[0].phone).toBe('+442079460001');

    const count = async () => (await test.superuserQuery('select count(*)::int as count from duplicate_pair where tenant_id = $1', [owner.tenantId]))[0].count;
    const before = await count();
    const dismissed = await owner.post(`/api/v1/duplicates/${pairOf(c.id, d.id).id}/dismiss`);
    expect(dismissed.statusCode).toBe(204);
    const second = await scan(owner, 'contact');
    expect(second.status).toBe('completed');
    expect(await count()).toBe(before);
    const open = await owner.get('/api/v1/duplicates?object=contact&limit=200');
    expect(open.body.items.map((pair: any) => pair.id)).not.toContain(pairOf(c.id, d.id).id);
    const dismissedList = await owner.get('/api/v1/duplicates?object=contact&status=dismissed');
    expect(dismissedList.body.items.map((pair: any) => pair.id)).toEqual([pairOf(c.id, d.id).id]);
  });

  it('resumes an interrupted scan after the passes it had finished', async () => {
    const other = await test.signup('Resume Ltd');
    const first = await created(other, '/api/v1/contacts', { name: 'Mae Jemison', phone: '+1 202 555 0199' });
    const second = await created(other, '/api/v1/contacts', { name: 'Mae Jemison' });
    await created(other, '/api/v1/contacts', { name: 'M. Jemison', phone: '+1 202 555 0199' });
    // A scan that crashed after its phone pass: the rerun must skip that pass and do the rest.
    const scanId = '0190f3c2-0000-7000-8000-00000000abcd';
    await test.superuserQuery(`insert into duplicate_scan (tenant_id, id, object, status, phases_done, phase_count)
      values ($1, $2, 'contact', 'failed', '{phone}', 3)`, [other.tenantId, scanId]);
    await test.rapport.services.duplicates.runScan(other.tenantId, scanId);
    const scan = await other.get(`/api/v1/duplicates/scans/${scanId}`);
    expect(scan.body).toMatchObject({ status: 'completed', progress: 1, phasesDone: ['phone', 'name_in_company', 'same_name'], pairsFound: 1 });
    const queue = await other.get('/api/v1/duplicates?object=contact');
    expect(queue.body.items.map((pair: any) => pair.records.map((record: any) => record.id).sort())).toEqual([[first.id, second.id].sort()]);
  });

  it('finds companies sharing a domain', async () => {
    const x = await created(owner, '/api/v1/companies', { name: 'Umbrella Corp', website: 'umbrella.example.net' });
    const y = await created(owner, '/api/v1/companies', { name: 'Umbrella Holding', website: 'www.umbrella.example.net' });
    expect((await scan(owner, 'company')).status).toBe('completed');
    const queue = await owner.get('/api/v1/duplicates?object=company');
    const pair = queue.body.items.find((item: any) => item.records.some((record: any) => record.id === x.id));
    expect(pair.records.map((record: any) => record.id).sort()).toEqual([x.id, y.id].sort());
    expect(pair.reasons).toContain('domain');
    expect(pair.records[0].detail).toBe('umbrella.example.net');
  });

  it('starts one scan when asked twice at once', async () => {
    const other = await test.signup('Twice Ltd');
    const [first, second] = await Promise.all([
      other.post('/api/v1/duplicates/scans', { object: 'company' }),
      other.post('/api/v1/duplicates/scans', { object: 'company' }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(first.body.id).toBe(second.body.id);
    await waitForScan(other, first.body.id);
  });

  it('pages the queue by keyset', async () => {
    const all = await owner.get('/api/v1/duplicates?object=contact&limit=200');
    const firstPage = await owner.get('/api/v1/duplicates?object=contact&limit=1');
    expect(firstPage.body.items.length).toBe(1);
    const pages = [firstPage.body.items[0].id];
    let cursor = firstPage.body.nextCursor;
    while (cursor) {
      const page = await owner.get(`/api/v1/duplicates?object=contact&limit=1&cursor=${cursor}`);
      pages.push(...page.body.items.map((item: any) => item.id));
      cursor = page.body.nextCursor;
    }
    expect(pages).toEqual(all.body.items.map((item: any) => item.id));
  });

  it('hides the queue and the scans from other workspaces and refuses bad input', async () => {
    const queue = await owner.get('/api/v1/duplicates?object=contact');
    const pairId = queue.body.items[0].id;
    expect((await stranger.post(`/api/v1/duplicates/${pairId}/dismiss`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/duplicates?object=contact')).body.items).toEqual([]);
    const started = await owner.post('/api/v1/duplicates/scans', { object: 'contact' });
    expect((await stranger.get(`/api/v1/duplicates/scans/${started.body.id}`)).statusCode).toBe(404);
    const bad = await owner.post('/api/v1/duplicates/scans', { object: 'deal' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.details[0].field).toBe('object');
    const badQuery = await owner.get('/api/v1/duplicates?object=contact&status=maybe');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.body.error.details[0].field).toBe('status');
    await waitForScan(owner, started.body.id);
  });
});
