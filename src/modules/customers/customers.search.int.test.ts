import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;

async function addUser(role: string) {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await owner.post('/api/v1/users', { name: `${role} user`, email, password: 'correct horse battery', role });
  expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  return { ...test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken }), userId: created.body.id as string };
}

const search = async (client: Pick<TestClient, 'get'>, q: string, extra = '') => {
  const response = await client.get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
  expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
  return response.body.items as Array<{ type: string; id: string; title: string; subtitle: string | null; matchedOn: string; score: number }>;
};

const ids: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestApp();
  await test.rapport.jobs.start({ work: true });
  owner = await test.signup('Search Inc');
  stranger = await test.signup('Elsewhere');
  const create = async (path: string, key: string, body: object) => {
    const response = await owner.post(path, body);
    expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
    ids[key] = response.body.id;
  };
  await create('/api/v1/companies', 'globex', { name: 'Globex Corporation', website: 'https://globex.example.org', phone: '+44 20 7946 0000' });
  await create('/api/v1/companies', 'globexTrading', { name: 'Globex Trading', website: 'https://globex-trading.example.org' });
  await create('/api/v1/contacts', 'ada', { name: 'Ada Lovelace', email: 'ada@globex.example.org', phone: '+44 20 7946 0958', title: 'Chief Analyst', companyId: ids.globex });
  await create('/api/v1/contacts', 'adam', { name: 'Adam Globex', email: 'adam@example.com' });
  await create('/api/v1/contacts', 'zhang', { name: '张伟明', email: 'zhang@example.cn' });
  await create('/api/v1/contacts', 'wang', { name: '王小明', email: 'wang@example.cn' });
});
afterAll(() => test.close());

describe('global search', () => {
  it('ranks an exact email hit first, with score 1', async () => {
    const items = await search(owner, 'ADA@globex.example.org');
    expect(items[0]).toMatchObject({ type: 'contact', id: ids.ada, matchedOn: 'email', score: 1 });
    // The company with that email's domain is an exact domain hit too.
    expect(items.slice(0, 2).map((item) => item.id)).toContain(ids.globex);
  });

  it('finds a phone written in any format', async () => {
    for (const q of ['+44 20 7946 0958', '0044 20 7946 0958', '+442079460958']) {
      const items = await search(owner, q);
      expect(items[0], q).toMatchObject({ id: ids.ada, matchedOn: 'phone', score: 1 });
    }
    expect((await search(owner, '+44 (20) 7946-0000'))[0]).toMatchObject({ id: ids.globex, type: 'company', matchedOn: 'phone' });
  });

  it('ranks an exact domain hit first and the similarly named company after it', async () => {
    const items = await search(owner, 'globex.example.org');
    expect(items[0]).toMatchObject({ type: 'company', id: ids.globex, matchedOn: 'domain', score: 1 });
  });

  it('tolerates typos in names', async () => {
    const items = await search(owner, 'Lovelase');
    expect(items[0]).toMatchObject({ id: ids.ada, matchedOn: 'name' });
    expect(items[0].score).toBeLessThan(1);
  });

  it('ranks a name with a word beginning with a one-word text above one holding it inside a word', async () => {
    const inside = await owner.post('/api/v1/contacts', { name: 'Rosebernet Quill' });
    const start = await owner.post('/api/v1/contacts', { name: 'Anna Berner' });
    const items = await search(owner, 'berne', '&types=contact');
    expect(items.map((item) => item.id)).toEqual([start.body.id, inside.body.id]);
    expect(items.map((item) => [item.matchedOn, item.score])).toEqual([['name', 0.8], ['name', 0.7]]);
  });

  it('finds whole words, in titles and in the company name of a contact', async () => {
    expect((await search(owner, 'analyst')).map((item) => item.id)).toContain(ids.ada);
    const byCompany = await search(owner, 'corporation', '&types=contact');
    expect(byCompany).toEqual([expect.objectContaining({ id: ids.ada, matchedOn: 'companyName' })]);
  });

  it('finds a CJK name by any two of its characters', async () => {
    for (const q of ['伟明', '张伟', '张伟明']) {
      const items = await search(owner, q);
      expect(items.map((item) => item.id), q).toEqual([ids.zhang]);
    }
    expect((await search(owner, '小明')).map((item) => item.id)).toEqual([ids.wang]);
    expect(await search(owner, '明张')).toEqual([]);
  });

  it('filters by type and refuses unknown types naming the field', async () => {
    const items = await search(owner, 'globex', '&types=company');
    expect(items.length).toBe(2);
    expect(items.every((item) => item.type === 'company')).toBe(true);
    const bad = await owner.get('/api/v1/search?q=globex&types=deal');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.details[0].field).toBe('types');
    const missing = await owner.get('/api/v1/search');
    expect(missing.statusCode).toBe(400);
    expect(missing.body.error.details[0].field).toBe('q');
  });

  it('shows another workspace nothing', async () => {
    expect(await search(stranger, 'Ada Lovelace')).toEqual([]);
    expect(await search(stranger, 'ada@globex.example.org')).toEqual([]);
  });

  it('shows a sales rep only the contacts their scope covers', async () => {
    const rep = await addUser('sales_rep');
    const own = await rep.post('/api/v1/contacts', { name: 'Ada Byron', email: 'byron@example.com' });
    expect(own.statusCode).toBe(201);
    const items = await search(rep, 'Ada');
    expect(items.map((item) => item.id)).toEqual([own.body.id]);
    expect(await search(rep, 'ada@globex.example.org')).toEqual([]);
    // A get by id answers from the same scope: the rep's own contact, and no one else's.
    const [hidden] = await search(owner, 'ada@globex.example.org');
    for (let round = 0; round < 7; round++) {
      expect((await rep.get(`/api/v1/contacts/${own.body.id}`)).statusCode).toBe(200);
      expect((await rep.get(`/api/v1/contacts/${hidden.id}`)).statusCode).toBe(404);
    }
    expect((await owner.get(`/api/v1/contacts/${hidden.id}`)).statusCode).toBe(200);
    const ownCompany = await rep.post('/api/v1/companies', { name: 'Byron Shipping' });
    for (let round = 0; round < 7; round++) {
      expect((await rep.get(`/api/v1/companies/${ownCompany.body.id}`)).body.name).toBe('Byron Shipping');
      expect((await rep.get(`/api/v1/companies/${ids.globex}`)).statusCode).toBe(404);
      expect((await stranger.get(`/api/v1/companies/${ownCompany.body.id}`)).statusCode).toBe(404);
    }
  });

  it('neither matches nor shows an email hidden from the role', async () => {
    const role = await owner.post('/api/v1/roles', {
      key: 'no_email', name: 'No email', grants: { contact: { read: 'all' }, company: { read: 'all' } }, fieldRules: { contact: { email: 'hidden' } },
    });
    expect(role.statusCode, JSON.stringify(role.body)).toBe(201);
    const reader = await addUser('no_email');
    expect((await search(reader, 'adam@example.com', '&types=contact'))).toEqual([]);
    const byName = await search(reader, 'Adam Globex', '&types=contact');
    expect(byName[0]).toMatchObject({ id: ids.adam, subtitle: null });
  });

  it('finds an encrypted phone by its blind index', async () => {
    const settings = await owner.put('/api/v1/workspace/encryption', { fields: ['contact.phone'] });
    expect([200, 202], JSON.stringify(settings.body)).toContain(settings.statusCode);
    const created = await owner.post('/api/v1/contacts', { name: 'Sealed Phone', phone: '+49 30 1234567' });
    expect(created.statusCode).toBe(201);
    expect((await search(owner, '+49 30 1234567'))[0]).toMatchObject({ id: created.body.id, matchedOn: 'phone' });
  });
});

describe('the API description', () => {
  it('documents search, duplicates and merges', async () => {
    const response = await test.request({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining([
      '/api/v1/search', '/api/v1/duplicates', '/api/v1/duplicates/scans', '/api/v1/duplicates/scans/{id}', '/api/v1/duplicates/{id}/dismiss',
      '/api/v1/contacts/merge', '/api/v1/companies/merge', '/api/v1/merges', '/api/v1/merges/{id}/undo',
    ]));
    const workspace = await owner.get('/api/v1/openapi.json');
    expect(workspace.statusCode).toBe(200);
  });
});
