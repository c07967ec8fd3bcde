// Segments evaluated against a small known dataset, their errors, and saved views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;
const ids: Record<string, string> = {};

async function addUser(role: string) {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  expect((await owner.post('/api/v1/users', { name: `A ${role}`, email, password: 'correct horse battery', role })).statusCode).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  return test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken });
}

const condition = (field: string, operator: string, value?: unknown) => ({ field, operator, ...(value === undefined ? {} : { value }) });
const filter = (match: 'all' | 'any', ...groups: Array<{ match: 'all' | 'any'; conditions: unknown[] }>) => ({ match, groups });
const group = (match: 'all' | 'any', ...conditions: unknown[]) => ({ match, conditions });

async function preview(body: unknown) {
  const response = await owner.post('/api/v1/segments/preview', { object: 'contact', filter: body });
  expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
  return response.body.count;
}

async function members(segmentFilter: unknown): Promise<string[]> {
  const segment = await owner.post('/api/v1/segments', { object: 'contact', name: `Segment ${Math.random()}`, filter: segmentFilter });
  expect(segment.statusCode, JSON.stringify(segment.body)).toBe(201);
  expect(segment.body.filter).toEqual(segmentFilter);
  expect((await owner.get(`/api/v1/segments/${segment.body.id}`)).body.filter).toEqual(segmentFilter);
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await owner.get(`/api/v1/segments/${segment.body.id}/contacts?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.statusCode, JSON.stringify(page.body)).toBe(200);
    names.push(...page.body.items.map((item: any) => item.name));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect((await owner.get(`/api/v1/segments/${segment.body.id}/count`)).body.count).toBe(names.length);
  expect(await preview(segmentFilter)).toBe(names.length);
  return names;
}

beforeAll(async () => {
  test = await startTestApp();
  owner = await test.signup();
  stranger = await test.signup();
  const define = async (object: string, key: string, type: string, options?: string[]) =>
    expect((await owner.post('/api/v1/custom-fields', { object, key, label: key, type, ...(options ? { options } : {}) })).statusCode).toBe(201);
  await define('company', 'size', 'number');
  await define('contact', 'tier', 'single_select', ['gold', 'silver', 'bronze']);
  await define('contact', 'score', 'number');
  await define('contact', 'interests', 'multi_select', ['golf', 'chess']);
  ids.acme = (await owner.post('/api/v1/companies', { name: 'Acme', website: 'acme.example', customFields: { size: 500 } })).body.id;
  ids.globex = (await owner.post('/api/v1/companies', { name: 'Globex', website: 'globex.example', customFields: { size: 20 } })).body.id;
  const people = [
    { name: 'Alice', companyId: ids.acme, customFields: { tier: 'gold', score: 90, interests: ['golf'] }, tags: ['vip'] },
    { name: 'Bob', companyId: ids.globex, customFields: { tier: 'silver', score: 40 } },
    { name: 'Carol', customFields: { tier: 'gold', score: 10, interests: ['chess'] }, tags: ['VIP'] },
    { name: 'Dan', companyId: ids.acme, title: 'CTO', customFields: { score: 70 } },
    { name: 'Eve', email: 'eve@gmail.com', customFields: { tier: 'bronze' } },
  ];
  for (const { tags, ...person } of people) {
    const response = await owner.post('/api/v1/contacts', person);
    expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
    ids[person.name] = response.body.id;
    if (tags) await owner.put(`/api/v1/contacts/${response.body.id}/tags`, { tags });
  }
});
afterAll(() => test.close());

describe('segment evaluation', () => {
  it('ORs AND groups', async () => {
    expect(await members(filter('any',
      group('all', condition('custom.tier', 'eq', 'gold'), condition('custom.score', 'gt', 50)),
      group('all', condition('company.name', 'contains', 'glob'))))).toEqual(['Alice', 'Bob']);
  });

  it('ANDs OR groups, over tags, titles and company custom fields', async () => {
    expect(await members(filter('all',
      group('any', condition('tag', 'has', 'vip'), condition('title', 'eq', 'CTO')),
      group('all', condition('company.custom.size', 'gt', 100))))).toEqual(['Alice', 'Dan']);
  });

  it.each([
    ['empty custom field', condition('custom.tier', 'isEmpty'), ['Dan']],
    ['multi select with any of', condition('custom.interests', 'in', ['golf', 'chess']), ['Alice', 'Carol']],
    ['tag absent', condition('tag', 'hasNot', 'vip'), ['Bob', 'Dan', 'Eve']],
    ['number between', condition('custom.score', 'between', [40, 70]), ['Bob', 'Dan']],
    ['select not equal (empty counts)', condition('custom.tier', 'neq', 'gold'), ['Bob', 'Dan', 'Eve']],
    ['changed recently', condition('lastChanged', 'withinDays', 1), ['Alice', 'Bob', 'Carol', 'Dan', 'Eve']],
    ['not changed for a month', condition('lastChanged', 'notWithinDays', 30), []],
    ['company domain', condition('company.domain', 'eq', 'acme.example'), ['Alice', 'Dan']],
    ['having a company', condition('companyId', 'isNotEmpty'), ['Alice', 'Bob', 'Dan']],
    ['email on a personal domain', condition('email', 'contains', '@gmail.'), ['Eve']],
  ])('selects by %s', async (_name, single, expected) => {
    expect(await members(filter('all', group('all', single)))).toEqual(expected);
  });

  it('selects by company id in a list', async () => {
    expect(await members(filter('all', group('all', condition('companyId', 'in', [ids.globex]))))).toEqual(['Bob']);
  });

  it('lists take segment=, and company segments work too', async () => {
    const segment = await owner.post('/api/v1/segments', { object: 'company', name: 'Big', filter: filter('all', group('all', condition('custom.size', 'gt', 100))) });
    expect((await owner.get(`/api/v1/companies?segment=${segment.body.id}`)).body.items.map((item: any) => item.name)).toEqual(['Acme']);
    expect((await owner.get(`/api/v1/segments/${segment.body.id}/count`)).body.count).toBe(1);
    const bySize = await owner.get('/api/v1/companies?sort=-custom.size&limit=1');
    expect(bySize.body.items.map((item: any) => item.name)).toEqual(['Acme']);
    const next = await owner.get(`/api/v1/companies?sort=-custom.size&limit=1&cursor=${bySize.body.nextCursor}`);
    expect(next.body.items.map((item: any) => item.name)).toEqual(['Globex']);
    expect((await owner.get('/api/v1/companies?filter[custom.size]=20')).body.items.map((item: any) => item.name)).toEqual(['Globex']);
    expect((await owner.get(`/api/v1/contacts?segment=${segment.body.id}`)).statusCode).toBe(400);
  });
});

describe('segment errors and isolation', () => {
  it('names the path of a bad filter', async () => {
    const cases: Array<[unknown, string]> = [
      [filter('all', group('all', condition('name', 'eq', 'x'), condition('custom.tier', 'gt', 'gold'))), 'filter.groups[0].conditions[1].operator'],
      [filter('all', group('all', condition('custom.nope', 'eq', 1))), 'filter.groups[0].conditions[0].field'],
      [filter('any', group('all', condition('name', 'eq', 'x')), group('all', condition('custom.tier', 'eq', 'platinum'))), 'filter.groups[1].conditions[0].value'],
      [filter('all', group('all', condition('custom.score', 'between', [1]))), 'filter.groups[0].conditions[0].value'],
      [{ match: 'some', groups: [] }, 'filter.match'],
      [filter('all', group('all')), 'filter.groups[0].conditions'],
    ];
    for (const [bad, path] of cases) {
      const response = await owner.post('/api/v1/segments', { object: 'contact', name: 'Bad', filter: bad });
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'segment.filter_invalid', details: [{ field: path }] });
    }
    const previewed = await owner.post('/api/v1/segments/preview', { object: 'contact', filter: cases[0][0] });
    expect(previewed.body.error.details[0].field).toBe('filter.groups[0].conditions[1].operator');
  });

  it("answers 404 for another workspace's segment", async () => {
    const segment = await owner.post('/api/v1/segments', { object: 'contact', name: 'Mine', filter: filter('all') });
    for (const url of ['', '/contacts', '/count']) expect((await stranger.get(`/api/v1/segments/${segment.body.id}${url}`)).statusCode).toBe(404);
    expect((await stranger.patch(`/api/v1/segments/${segment.body.id}`, { name: 'Theirs' })).statusCode).toBe(404);
    expect((await stranger.delete(`/api/v1/segments/${segment.body.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/v1/contacts?segment=${segment.body.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/segments')).body.items).toEqual([]);
  });
});

describe('saved views', () => {
  it('keeps private views to their owner, shares shared ones, and lets only owner or admin edit', async () => {
    const rep = await addUser('sales_rep');
    const privateView = await owner.post('/api/v1/views', { object: 'contact', name: 'Mine', columns: ['name', 'custom.tier'], sort: '-custom.score' });
    expect(privateView.statusCode, JSON.stringify(privateView.body)).toBe(201);
    const repView = await rep.post('/api/v1/views', { object: 'contact', name: 'Golden', shared: true, columns: ['name', 'tags'], filter: filter('all', group('all', condition('custom.tier', 'eq', 'gold'))) });
    expect(repView.statusCode, JSON.stringify(repView.body)).toBe(201);
    expect((await rep.get('/api/v1/views?object=contact')).body.items.map((view: any) => view.name)).toEqual(['Golden']);
    expect((await owner.get('/api/v1/views?object=contact')).body.items.map((view: any) => view.name)).toEqual(['Golden', 'Mine']);
    expect((await rep.patch(`/api/v1/views/${privateView.body.id}`, { name: 'Taken' })).statusCode).toBe(404);
    expect((await rep.get(`/api/v1/contacts?view=${privateView.body.id}`)).statusCode).toBe(404);
    const sharedByOwner = await owner.post('/api/v1/views', { object: 'contact', name: 'Team', shared: true, columns: ['name'] });
    expect((await rep.patch(`/api/v1/views/${sharedByOwner.body.id}`, { name: 'Mine now' })).statusCode).toBe(403);
    expect((await owner.patch(`/api/v1/views/${repView.body.id}`, { columns: ['name', 'custom.score'] })).body.columns).toEqual(['name', 'custom.score']);
    expect((await owner.get('/api/v1/views?object=contact')).body.items.find((view: any) => view.id === repView.body.id).filter.groups[0].conditions[0].field).toBe('custom.tier');
    const filtered = await owner.get(`/api/v1/contacts?view=${repView.body.id}&sort=name`);
    expect(filtered.body.items.map((item: any) => item.name)).toEqual(['Alice', 'Carol']);
    expect((await stranger.patch(`/api/v1/views/${sharedByOwner.body.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/views')).body.items).toEqual([]);
  });

  it('refuses unknown columns and sorts, naming them', async () => {
    const column = await owner.post('/api/v1/views', { object: 'contact', name: 'Bad', columns: ['name', 'custom.nope'] });
    expect(column.body.error.details[0].field).toBe('columns[1]');
    const sort = await owner.post('/api/v1/views', { object: 'company', name: 'Bad', columns: ['name'], sort: 'email' });
    expect(sort.body.error.details[0].field).toBe('sort');
  });
});
