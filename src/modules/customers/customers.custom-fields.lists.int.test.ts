// Custom fields in lists (filters, keyset sorts across pages), under field rules, and in the
// workspace's OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
const created: Array<{ id: string; score?: number; tier?: string }> = [];

async function addUser(role: string) {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  expect((await owner.post('/api/v1/users', { name: `A ${role}`, email, password: 'correct horse battery', role })).statusCode).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  return test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken });
}

async function walk(client: Pick<TestClient, 'get'>, query: string, limit = 7) {
  const seen: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response: any = await client.get(`/api/v1/contacts?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
    seen.push(...response.body.items);
    cursor = response.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return seen;
}

beforeAll(async () => {
  test = await startTestApp();
  owner = await test.signup();
  for (const definition of [
    { key: 'score', label: 'Score', type: 'number' },
    { key: 'tier', label: 'Tier', type: 'single_select', options: ['gold', 'silver', 'bronze'] },
    { key: 'base_salary', label: 'Salary', type: 'money', sensitive: true },
  ]) {
    expect((await owner.post('/api/v1/custom-fields', { object: 'contact', ...definition })).statusCode).toBe(201);
  }
  const tiers = ['gold', 'silver', 'bronze'];
  for (let index = 0; index < 30; index++) {
    // Repeated scores make the id tie-breaker matter; some contacts have no score at all.
    const customFields: Record<string, unknown> = { tier: tiers[index % 3], base_salary: { amount: 1000 * index, currency: 'EUR' } };
    if (index % 4 !== 0) customFields.score = (index * 7) % 10 - 3.5;
    const response = await owner.post('/api/v1/contacts', { name: `Person ${index}`, customFields });
    expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
    created.push({ id: response.body.id, score: customFields.score as number | undefined, tier: customFields.tier as string });
  }
});
afterAll(() => test.close());

describe('custom fields in lists', () => {
  it.each(['custom.score', '-custom.score', 'custom.tier', '-custom.tier'])('pages through every contact once, sorted by %s', async (sort) => {
    const seen = await walk(owner, `&sort=${sort}`);
    expect(seen.map((contact) => contact.id).sort()).toEqual(created.map((contact) => contact.id).sort());
    const key = sort.replace(/^-?custom\./, '');
    const expression = key === 'score' ? "coalesce((custom_fields->>'score')::numeric, '-Infinity')" : "coalesce(custom_fields->>'tier', '')";
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    const expected = await test.superuserQuery(`select id from contact where tenant_id = $1 order by ${expression} ${direction}, id ${direction}`, [owner.tenantId]);
    expect(seen.map((contact) => contact.id)).toEqual(expected.map((row) => row.id));
  });

  it('filters by a custom field value, across pages, sorted by another', async () => {
    const seen = await walk(owner, '&filter[custom.tier]=silver&sort=-custom.score', 3);
    expect(seen.map((contact) => contact.id).sort()).toEqual(created.filter((contact) => contact.tier === 'silver').map((contact) => contact.id).sort());
    const scores = seen.map((contact) => contact.customFields.score ?? -Infinity);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const numeric = await owner.get('/api/v1/contacts?filter[custom.score]=3.5');
    expect(numeric.body.items.map((contact: any) => contact.id).sort()).toEqual(created.filter((contact) => contact.score === 3.5).map((contact) => contact.id).sort());
    expect((await owner.get('/api/v1/contacts/count?filter[custom.tier]=gold')).body).toEqual({ count: 10, capped: false });
  });

  it('refuses filters and sorts on unknown custom fields, and bad values, naming the parameter', async () => {
    const unknownFilter = await owner.get('/api/v1/contacts?filter[custom.nope]=1');
    expect(unknownFilter.statusCode).toBe(400);
    expect(unknownFilter.body.error.details[0].field).toBe('filter[custom.nope]');
    const badValue = await owner.get('/api/v1/contacts?filter[custom.tier]=platinum');
    expect(badValue.statusCode).toBe(400);
    expect(badValue.body.error.details[0].field).toBe('filter[custom.tier]');
    const unknownSort = await owner.get('/api/v1/contacts?sort=custom.nope');
    expect(unknownSort.body.error.details[0].field).toBe('sort');
  });
});

describe('custom fields under field rules', () => {
  it('masks a hidden custom field in reads and lists, and refuses writing a read-only one', async () => {
    const role = await owner.post('/api/v1/roles', {
      key: 'no_salaries', name: 'No salaries', grants: { contact: { read: 'all', create: 'all', update: 'all' } },
      fieldRules: { contact: { 'customFields.base_salary': 'hidden', 'customFields.tier': 'read_only' } },
    });
    expect(role.statusCode, JSON.stringify(role.body)).toBe(201);
    const client = await addUser('no_salaries');
    const one = await client.get(`/api/v1/contacts/${created[5].id}`);
    expect(one.body.customFields).not.toHaveProperty('base_salary');
    expect(one.body.customFields.tier).toBe('bronze');
    const page = await client.get('/api/v1/contacts?limit=50');
    expect(page.body.items.every((contact: any) => !('base_salary' in contact.customFields))).toBe(true);
    expect((await owner.get(`/api/v1/contacts/${created[5].id}`)).body.customFields.base_salary).toEqual({ amount: 5000, currency: 'EUR' });
    const sortHidden = await client.get('/api/v1/contacts?sort=custom.base_salary');
    expect(sortHidden.statusCode).toBe(403);
    const writeReadOnly = await client.patch(`/api/v1/contacts/${created[5].id}`, { customFields: { tier: 'gold' } });
    expect(writeReadOnly.statusCode).toBe(403);
    expect(writeReadOnly.body.error.details[0].field).toBe('customFields.tier');
    expect((await client.patch(`/api/v1/contacts/${created[5].id}`, { customFields: { score: 1 } })).statusCode).toBe(200);
    const history = await client.get(`/api/v1/audit?entity=contact&id=${created[5].id}`);
    expect(history.statusCode).toBe(200);
    const creation = history.body.items.find((item: any) => item.operation === 'create');
    expect(creation.changes.customFields.after).toEqual({ tier: 'bronze', score: 1.5 });
    const definitions = await client.get('/api/v1/custom-fields?object=contact');
    expect(definitions.body.items.map((definition: any) => definition.key)).toEqual(['score', 'tier']);
  });
});

describe('the workspace OpenAPI document', () => {
  it('types each custom field of this workspace, and the global document stays generic', async () => {
    const document = await owner.get('/api/v1/openapi.json');
    expect(document.statusCode).toBe(200);
    const contactSchema = document.body.paths['/api/v1/contacts/{id}'].get.responses['200'].content['application/json'].schema;
    const customFields = contactSchema.properties.customFields;
    expect(customFields.additionalProperties).toBe(false);
    expect(customFields.properties.score.anyOf[0]).toEqual({ type: 'number' });
    expect(customFields.properties.tier.anyOf[0]).toEqual({ type: 'string', enum: ['gold', 'silver', 'bronze'] });
    expect(customFields.properties.base_salary.anyOf[0].properties.amount).toMatchObject({ type: 'integer' });
    const companySchema = document.body.paths['/api/v1/companies'].post.requestBody.content['application/json'].schema;
    expect(companySchema.properties.customFields.properties).toEqual({});
    const other = await test.signup();
    const otherDocument = await other.get('/api/v1/openapi.json');
    expect(otherDocument.body.paths['/api/v1/contacts/{id}'].get.responses['200'].content['application/json'].schema.properties.customFields.properties).toEqual({});
    const global = await test.request({ method: 'GET', url: '/api/openapi.json' });
    expect(global.body.paths['/api/v1/contacts/{id}'].get.responses['200'].content['application/json'].schema.properties.customFields['x-rapport-custom-fields']).toBe('contact');
    expect((await test.request({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(401);
  });
});
