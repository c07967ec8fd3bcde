import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';
import { createCustomerFactory } from './customers.factory.js';

let test: TestApp;
let client: TestClient;
const created: Array<{ id: string; name: string; email: string | null }> = [];
let companyId: string;

beforeAll(async () => {
  test = await startTestApp();
  client = await test.signup();
  const factory = createCustomerFactory(7);
  companyId = (await client.post('/api/v1/companies', factory.company())).body.id;
  for (let index = 0; index < 57; index++) {
    // Repeated names make the id tie-breaker matter.
    const body = factory.contact({
      ...(index % 5 === 0 ? { name: 'Same Name' } : {}),
      ...(index % 7 === 0 ? { email: null } : {}),
      companyId: index % 3 === 0 ? companyId : null,
    });
    const response = await client.post('/api/v1/contacts', body);
    expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
    created.push(response.body);
  }
});
afterAll(() => test.close());

async function walk(query: string, limit: number) {
  const seen: Array<{ id: string; name: string; email: string | null; createdAt: string }> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response: any = await client.get(`/api/v1/contacts?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.statusCode).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...response.body.items);
    cursor = response.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return seen;
}

describe('contact lists', () => {
  it.each(['name', '-name', 'email', '-email', 'createdAt', '-createdAt', 'updatedAt'])('pages through every contact once, sorted by %s', async (sort) => {
    const seen = await walk(`&sort=${sort}`, 10);
    expect(seen.map((contact) => contact.id).sort()).toEqual(created.map((contact) => contact.id).sort());
    // The database's collation decides how scripts interleave, so the expected order is
    // the database's own ORDER BY over the same rows.
    const column = { name: 'name', email: "coalesce(email, '')", createdAt: 'created_at', updatedAt: 'updated_at' }[sort.replace('-', '')];
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    const expected = await test.superuserQuery(`select id from contact where tenant_id = $1 order by ${column} ${direction}, id ${direction}`, [client.tenantId]);
    expect(seen.map((contact) => contact.id)).toEqual(expected.map((row) => row.id));
  });

  it('pages by time through rows whose timestamps have microseconds, as an import or a merge writes them', async () => {
    // One transaction's now(): every row the same instant, below the millisecond.
    const other = await test.signup('Imported Ltd');
    const ids = await test.superuserQuery<{ id: string }>(`insert into contact (tenant_id, id, name, created_at, updated_at)
      select $1, gen_random_uuid(), 'Imported ' || n, '2026-03-04 05:06:07.123456+00', '2026-03-04 05:06:07.123456+00' from generate_series(1, 7) n returning id`, [other.tenantId]);
    const companyIds = await test.superuserQuery<{ id: string }>(`insert into company (tenant_id, id, name, created_at, updated_at)
      select $1, gen_random_uuid(), 'Imported ' || n, '2026-03-04 05:06:07.123456+00', '2026-03-04 05:06:07.123456+00' from generate_series(1, 7) n returning id`, [other.tenantId]);
    for (const [list, expected] of [['contacts', ids], ['companies', companyIds]] as const) {
      for (const sort of ['createdAt', '-createdAt', 'updatedAt', '-updatedAt']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 10 && (pages === 0 || cursor); pages++) {
          const page: any = await other.get(`/api/v1/${list}?limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...page.body.items.map((item: { id: string }) => item.id));
          cursor = page.body.nextCursor;
        }
        expect(seen.sort(), `${list} by ${sort}`).toEqual(expected.map((row) => row.id).sort());
      }
    }
  });

  it('filters by company', async () => {
    const seen = await walk(`&filter[companyId]=${companyId}`, 50);
    expect(seen.length).toBe(created.filter((_, index) => index % 3 === 0).length);
  });

  it('caps the page size and refuses a forged cursor or an unknown sort', async () => {
    expect((await client.get('/api/v1/contacts?limit=201')).statusCode).toBe(400);
    const forged = await client.get('/api/v1/contacts?cursor=not-a-cursor');
    expect(forged.statusCode).toBe(400);
    expect(forged.body.error.details[0].field).toBe('cursor');
    const badSort = await client.get('/api/v1/contacts?sort=password');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.body.error.details[0].field).toBe('sort');
  });
});

describe('companies', () => {
  it('takes the domain from the website, or else from a work email, and counts contacts', async () => {
    const fromEmail = await client.post('/api/v1/companies', { name: 'Initech', email: 'info@initech.example' });
    expect(fromEmail.body.domain).toBe('initech.example');
    const personalEmail = await client.post('/api/v1/companies', { name: 'Solo', email: 'solo@gmail.com' });
    expect(personalEmail.body.domain).toBeNull();
    const changed = await client.patch(`/api/v1/companies/${fromEmail.body.id}`, { website: 'https://www.initrode.example/about' });
    expect(changed.body.domain).toBe('initrode.example');
    expect((await client.get(`/api/v1/companies/${companyId}`)).body.contactCount).toBe(created.filter((_, index) => index % 3 === 0).length);
  });

  it('refuses a website that is not one, naming the field', async () => {
    const response = await client.post('/api/v1/companies', { name: 'Nowhere', website: 'not a website' });
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'company.website_invalid', details: [{ field: 'website' }] });
  });

  it('keeps the contacts of a deleted company, unlinked, with the unlinking in their history', async () => {
    const company = await client.post('/api/v1/companies', { name: 'Doomed Ltd' });
    const contact = await client.post('/api/v1/contacts', { name: 'Survivor', companyId: company.body.id });
    expect((await client.delete(`/api/v1/companies/${company.body.id}`)).statusCode).toBe(204);
    const after = await client.get(`/api/v1/contacts/${contact.body.id}`);
    expect(after.body).toMatchObject({ name: 'Survivor', companyId: null, companyName: null });
    const history = await client.get(`/api/v1/audit?entity=contact&id=${contact.body.id}`);
    expect(history.body.items[0].changes).toEqual({ companyId: { before: company.body.id, after: null } });
  });

  it('lists and searches companies', async () => {
    const page = await client.get('/api/v1/companies?q=initrode');
    expect(page.body.items.map((company: { name: string }) => company.name)).toEqual(['Initech']);
    const sorted = await client.get('/api/v1/companies?sort=-createdAt&limit=2');
    expect(sorted.body.items).toHaveLength(2);
    expect(sorted.body.nextCursor).toEqual(expect.any(String));
  });
});

describe('searching a long contact list', () => {
  let owner: TestClient;
  beforeAll(async () => {
    owner = await test.signup('Many Names Ltd');
    // More matches than are sorted whole (1,000), sorting after more contacts than a page looks
    // ahead along the sort order (5,100 for pages of 50); and a term whose matches are everywhere.
    await test.superuserQuery(`insert into contact (tenant_id, id, name)
      select $1, gen_random_uuid(), 'Aaron Filler ' || lpad(n::text, 5, '0') from generate_series(1, 6000) as n`, [owner.tenantId]);
    await test.superuserQuery(`insert into contact (tenant_id, id, name)
      select $1, gen_random_uuid(), 'Mateo Late ' || lpad((n % 1100)::text, 5, '0') from generate_series(1, 1200) as n`, [owner.tenantId]);
  });

  async function pages(query: string) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let count = 0;
    do {
      const response: any = await owner.get(`/api/v1/contacts?limit=50&q=${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
      count++;
    } while (cursor && count < 200);
    return seen;
  }

  const expected = async (pattern: string, order = 'name, id') => (await test.superuserQuery<{ id: string }>(
    `select id from contact where tenant_id = $1 and (name ilike $2 or email ilike $2) order by ${order}`, [owner.tenantId, pattern])).map((row) => row.id);

  it('pages through every match once, in order, when a common term\'s matches all sort late', async () => {
    const all = await expected('%mateo%');
    expect(all.length).toBe(1200);
    expect(await pages('mateo')).toEqual(all);
  });

  it('pages through a term that matches most contacts', async () => {
    const all = await expected('%filler%');
    expect(all.length).toBe(6000);
    expect(await pages('filler')).toEqual(all);
  });

  it('pages backwards in time through a common term', async () => {
    const all = await expected('%late%', 'created_at desc, id desc');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: any = await owner.get(`/api/v1/contacts?limit=100&sort=-createdAt&q=late${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor && seen.length < 5000);
    expect(all.length).toBe(1200);
    expect(seen).toEqual(all);
  });
});

describe('a list page and a get', () => {
  // A list page's contacts and a contact's get are JSON that PostgreSQL writes
  // (platform/json-text.ts); a write's answer is rows the server serialises. A user sees one
  // contact either way.
  it('show a contact the same, whatever its text, custom fields, tags and timestamps hold', async () => {
    const owner = await test.signup('Same Either Way Ltd');
    for (const definition of [
      { key: 'score', label: 'Score', type: 'number' },
      { key: 'colours', label: 'Colours', type: 'multi_select', options: ['red', 'green'] },
      { key: 'notes', label: 'Notes', type: 'long_text' },
      { key: 'salary', label: 'Salary', type: 'money', sensitive: true },
    ]) expect((await owner.post('/api/v1/custom-fields', { object: 'contact', ...definition })).statusCode).toBe(201);
    const company = await owner.post('/api/v1/companies', { name: 'Ünïcödé "Quoted" \\ Co 株式会社' });
    const bodies = [
      { name: 'Quote " backslash \\ slash / tab \t newline \n bell \u0007 end', email: 'odd@example.org', phone: '+44 20 7946 0958', companyId: company.body.id,
        customFields: { score: -3.5, colours: ['green', 'red'], notes: 'line one\nline "two"' } },
      { name: '李小龍 😀 Zoë', customFields: { score: 12 } },
      // A sealed value, and text that only looks like ciphertext: the server opens this one.
      { name: 'Sealed salary', title: 'enc:v1:1:only looks sealed', customFields: { salary: { amount: 125050, currency: 'EUR' } } },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const response = await owner.post('/api/v1/contacts', body);
      expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
      ids.push(response.body.id);
    }
    expect((await owner.put(`/api/v1/contacts/${ids[0]}/tags`, { tags: ['vip', 'Lead "hot"', 'ärger'] })).statusCode).toBe(200);
    // Microseconds, as an import writes them, and a date before 2000.
    await test.superuserQuery(`update contact set created_at = '1999-12-31 23:59:59.999999+00', updated_at = '2026-03-04 05:06:07.000001+00' where id = $1`, [ids[1]]);

    const page = await owner.get('/api/v1/contacts?limit=10');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(page.body.items).toHaveLength(3);
    for (const item of page.body.items) {
      const got = await owner.get(`/api/v1/contacts/${item.id}`);
      expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(item).toStrictEqual(got.body);
      // A change to nothing answers with the stored row, serialised by the server.
      const unchanged = await owner.patch(`/api/v1/contacts/${item.id}`, { name: item.name });
      expect(unchanged.statusCode).toBe(200);
      expect(got.body).toStrictEqual(unchanged.body);
    }
    // A filtered page finds its ids first, then reads their JSON (contacts.repository.ts listPage).
    const filtered = await owner.get(`/api/v1/contacts?filter[companyId]=${company.body.id}`);
    expect(filtered.body.items).toStrictEqual([page.body.items.find((item: { id: string }) => item.id === ids[0])]);
    const searched = await owner.get(`/api/v1/contacts?q=${encodeURIComponent('Sealed salary')}`);
    expect(searched.body.items).toStrictEqual([page.body.items.find((item: { id: string }) => item.id === ids[2])]);
    const first = page.body.items.find((item: { id: string }) => item.id === ids[0]);
    expect(first).toMatchObject({ name: bodies[0].name, phone: '+442079460958', companyName: 'Ünïcödé "Quoted" \\ Co 株式会社' });
    // In the database's collation, as a get has them.
    expect([...first.tags].sort()).toEqual(['Lead "hot"', 'vip', 'ärger']);
    expect(first.customFields).toEqual({ score: -3.5, colours: ['green', 'red'], notes: 'line one\nline "two"' });
    expect(page.body.items.find((item: { id: string }) => item.id === ids[2])).toMatchObject({ title: 'enc:v1:1:only looks sealed', customFields: { salary: { amount: 125050, currency: 'EUR' } } });
    expect(page.body.items.find((item: { id: string }) => item.id === ids[1]).createdAt).toBe('1999-12-31T23:59:59.999Z');
  });

  it('show a company the same, but for the contact count only a get gives', async () => {
    const owner = await test.signup('Companies Either Way Ltd');
    for (const definition of [
      { key: 'employees', label: 'Employees', type: 'number' },
      { key: 'revenue', label: 'Revenue', type: 'money', sensitive: true },
    ]) expect((await owner.post('/api/v1/custom-fields', { object: 'company', ...definition })).statusCode).toBe(201);
    const bodies = [
      { name: 'Quote " and \\ backslash\nCo', website: 'https://quoted.example.org', phone: '+44 20 7946 0000', city: 'Zürich', country: 'CH', customFields: { employees: 1200 } },
      { name: '株式会社 テスト 😀', customFields: { revenue: { amount: 99900, currency: 'JPY' } } },
      { name: 'Bare' },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const response = await owner.post('/api/v1/companies', body);
      expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
      ids.push(response.body.id);
    }
    expect((await owner.put(`/api/v1/companies/${ids[0]}/tags`, { tags: ['partner', 'Tier "A"'] })).statusCode).toBe(200);
    await test.superuserQuery(`update company set updated_at = '2026-03-04 05:06:07.000999+00' where id = $1`, [ids[2]]);

    const page = await owner.get('/api/v1/companies?limit=10&sort=-createdAt');
    expect(page.statusCode).toBe(200);
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    for (const item of page.body.items) {
      const { contactCount, ...got } = (await owner.get(`/api/v1/companies/${item.id}`)).body;
      expect(contactCount).toBe(0);
      expect(item).toStrictEqual(got);
    }
    expect(page.body.items[2]).toMatchObject({ name: bodies[0].name, city: 'Zürich', customFields: { employees: 1200 } });
    expect((await owner.get('/api/v1/companies?q=Bare')).body.items).toStrictEqual([page.body.items[0]]);
    expect((await owner.get(`/api/v1/companies?q=${encodeURIComponent('株式会社')}`)).body.items).toStrictEqual([page.body.items[1]]);
    expect(page.body.items[1].customFields.revenue).toEqual({ amount: 99900, currency: 'JPY' });
    expect(page.body.items[0].updatedAt).toBe('2026-03-04T05:06:07.000Z');
  });

  it('hide from a list page the fields a role may not read, as a get does', async () => {
    const owner = await test.signup('Hidden Fields Ltd');
    const contact = await owner.post('/api/v1/contacts', { name: 'Ada Lovelace', email: 'ada@example.org', phone: '+44 20 7946 0958' });
    expect(contact.statusCode).toBe(201);
    const role = await owner.post('/api/v1/roles', { key: 'no_phones', name: 'No phones', grants: { contact: { read: 'all' } }, fieldRules: { contact: { phone: 'hidden' } } });
    expect(role.statusCode, JSON.stringify(role.body)).toBe(201);
    const email = 'no.phones@example.org';
    expect((await owner.post('/api/v1/users', { name: 'No Phones', email, password: 'correct horse battery', role: 'no_phones' })).statusCode).toBe(201);
    const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
    const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
    const reader = test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken });

    const page = await reader.get('/api/v1/contacts');
    expect(page.statusCode).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).not.toHaveProperty('phone');
    expect(page.body.items[0]).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.org' });
    expect(page.body.items[0]).toStrictEqual((await reader.get(`/api/v1/contacts/${contact.body.id}`)).body);
    expect((await owner.get('/api/v1/contacts')).body.items[0].phone).toBe('+442079460958');
  });
});
