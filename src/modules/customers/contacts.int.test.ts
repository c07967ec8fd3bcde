import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';
import type { Actor } from '../../platform/actor.js';

let test: TestApp;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  test = await startTestApp();
  alice = await test.signup('Alice Inc');
  bob = await test.signup('Bob GmbH');
});
afterAll(() => test.close());

async function countRows(table: string, tenantId: string) {
  const [row] = await test.superuserQuery(`select count(*)::int as count from ${table} where tenant_id = $1`, [tenantId]);
  return row.count as number;
}

describe('contacts', () => {
  it('creates a contact with a lower-cased email, an E.164 phone and its company', async () => {
    const company = await alice.post('/api/v1/companies', { name: 'Globex', website: 'www.globex.example.org' });
    expect(company.statusCode).toBe(201);
    expect(company.body.domain).toBe('globex.example.org');
    const created = await alice.post('/api/v1/contacts', { name: 'Ada Lovelace', email: 'Ada@Globex.Example.ORG', phone: '+44 20 7946 0958', companyId: company.body.id });
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada Lovelace', email: 'ada@globex.example.org', phone: '+442079460958', companyName: 'Globex' });
    const fetched = await alice.get(`/api/v1/contacts/${created.body.id}`);
    expect(fetched.body).toEqual(created.body);
  });

  it('refuses a second contact with the same email in a workspace, but not in another', async () => {
    await alice.post('/api/v1/contacts', { name: 'First', email: 'same@example.com' });
    const duplicate = await alice.post('/api/v1/contacts', { name: 'Second', email: 'SAME@example.com' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body.error.code).toBe('contact.email_taken');
    expect(duplicate.body.error.details[0].field).toBe('email');
    expect((await bob.post('/api/v1/contacts', { name: 'Elsewhere', email: 'same@example.com' })).statusCode).toBe(201);
  });

  it('answers bad input with a 400 naming the field, and writes nothing', async () => {
    const contactsBefore = await countRows('contact', alice.tenantId);
    const logBefore = await countRows('change_log', alice.tenantId);
    const cases: Array<[unknown, string]> = [
      [{ name: 'Bad Phone', phone: '12' }, 'phone'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'Unknown', nickname: 'Al' }, 'nickname'],
      [{ email: 'nobody@example.com' }, 'name'],
      [{ name: 'Bad Email', email: 'not-an-email' }, 'email'],
      [{ name: 'Bad Company', companyId: 'not-a-uuid' }, 'companyId'],
      [{ name: 'Missing Company', companyId: '0190f3c2-0000-7000-8000-000000000000' }, 'companyId'],
    ];
    for (const [body, field] of cases) {
      const response = await alice.post('/api/v1/contacts', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details[0].field, JSON.stringify(body)).toBe(field);
    }
    const malformed = await alice.post('/api/v1/contacts', '{"name": "cut off');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.code).toBe('request.invalid_json');
    expect(await countRows('contact', alice.tenantId)).toBe(contactsBefore);
    expect(await countRows('change_log', alice.tenantId)).toBe(logBefore);
  });

  it('updates only the given fields, clears a field with null, and keeps the record on a failed update', async () => {
    const created = await alice.post('/api/v1/contacts', { name: 'Grace Hopper', email: 'grace@navy.example', phone: '+1 212 555 0199', title: 'Rear Admiral' });
    const updated = await alice.patch(`/api/v1/contacts/${created.body.id}`, { title: null, phone: '+1 (415) 555-0123' });
    expect(updated.statusCode).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Grace Hopper', title: null, phone: '+14155550123' });
    const failed = await alice.patch(`/api/v1/contacts/${created.body.id}`, { name: 'Changed', phone: 'call me' });
    expect(failed.statusCode).toBe(400);
    expect((await alice.get(`/api/v1/contacts/${created.body.id}`)).body.name).toBe('Grace Hopper');
  });

  it('hides another workspace’s contact: 404 on read, update and delete', async () => {
    const mine = await alice.post('/api/v1/contacts', { name: 'Private Person' });
    expect((await bob.get(`/api/v1/contacts/${mine.body.id}`)).statusCode).toBe(404);
    expect((await bob.patch(`/api/v1/contacts/${mine.body.id}`, { name: 'Stolen' })).statusCode).toBe(404);
    expect((await bob.delete(`/api/v1/contacts/${mine.body.id}`)).statusCode).toBe(404);
    expect((await bob.get('/api/v1/contacts?q=Private')).body.items).toEqual([]);
    expect((await alice.get(`/api/v1/contacts/${mine.body.id}`)).body.name).toBe('Private Person');
  });

  it('deletes a contact', async () => {
    const created = await alice.post('/api/v1/contacts', { name: 'Short Lived' });
    expect((await alice.delete(`/api/v1/contacts/${created.body.id}`)).statusCode).toBe(204);
    expect((await alice.get(`/api/v1/contacts/${created.body.id}`)).statusCode).toBe(404);
  });
});

describe('contact list pages', () => {
  it('page by time either way without gaps or repeats, and refuse a cursor of another sort', async () => {
    const workspace = await test.signup();
    const created: string[] = [];
    for (const name of ['Page One', 'Page Two', 'Page Three', 'Page Four', 'Page Five']) created.push((await workspace.post('/api/v1/contacts', { name })).body.id);
    for (const sort of ['createdAt', '-createdAt', 'updatedAt', 'name', '-email']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await workspace.get(`/api/v1/contacts?sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.statusCode, sort).toBe(200);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length <= created.length);
      expect([...seen].sort(), sort).toEqual([...created].sort());
      if (sort === 'createdAt') expect(seen).toEqual(created);
      if (sort === '-createdAt') expect(seen).toEqual([...created].reverse());
    }
    const byName = (await workspace.get('/api/v1/contacts?sort=name&limit=2')).body.nextCursor;
    for (const sort of ['createdAt', '-updatedAt']) {
      const mismatched = await workspace.get(`/api/v1/contacts?sort=${sort}&limit=2&cursor=${encodeURIComponent(byName)}`);
      expect(mismatched.statusCode, sort).toBe(400);
      expect(mismatched.body.error).toMatchObject({ code: 'list.cursor_invalid', details: [{ field: 'cursor' }] });
    }
  });
});

describe('gets that arrive together', () => {
  /** The batched-read histogram's count and sum for an entity, from /metrics. */
  async function batchMetrics(entity = 'contact') {
    const text = (await test.request<string>({ method: 'GET', url: '/metrics' })).body as unknown as string;
    const value = (name: string) => Number(new RegExp(`^rapport_read_batch_size_${name}\\{entity="${entity}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { batches: value('count'), gets: value('sum') };
  }
  const actor = (client: { tenantId: string }, userId: string, role: string): Actor => ({ tenantId: client.tenantId, userId, name: role, type: 'user', role });
  async function addUser(role = 'sales_rep') {
    const user = await alice.post('/api/v1/users', { name: role, email: `${role}.${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery', role });
    expect(user.statusCode).toBe(201);
    return user.body.id as string;
  }

  it('share one query per workspace and read scope, and each is answered for its own actor', async () => {
    const rep = { body: { id: await addUser() } };
    const first = (await alice.post('/api/v1/contacts', { name: 'Batch First', phone: '+44 20 7946 0001' })).body;
    const second = (await alice.post('/api/v1/contacts', { name: 'Batch Second' })).body;
    const repsOwn = (await alice.post('/api/v1/contacts', { name: 'Batch Rep Own', ownerId: rep.body.id })).body;
    const bobsOwn = (await bob.post('/api/v1/contacts', { name: 'Batch Bob Own' })).body;
    const [aliceActor, repActor, bobActor] = [actor(alice, alice.userId, 'owner'), actor(alice, rep.body.id, 'sales_rep'), actor(bob, bob.userId, 'owner')];
    const { contacts } = test.rapport.services;
    // One get each first, so that the permissions below come from cache and every get reaches the batch in one turn.
    await Promise.all([contacts.get(aliceActor, first.id), contacts.get(repActor, repsOwn.id), contacts.get(bobActor, bobsOwn.id)]);

    const before = await batchMetrics();
    const gets: Array<[Actor, string]> = [
      [aliceActor, first.id], [aliceActor, second.id.toUpperCase()], [aliceActor, repsOwn.id], [aliceActor, bobsOwn.id], [aliceActor, '0190f3c2-0000-7000-8000-000000000000'],
      [repActor, first.id], [repActor, repsOwn.id], [bobActor, bobsOwn.id], [bobActor, first.id],
    ];
    const answers = await Promise.allSettled(gets.map(([who, id]) => contacts.get(who, id)));
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.name : (answer.reason as { code: string }).code))).toEqual([
      'Batch First', 'Batch Second', 'Batch Rep Own', 'contact.not_found', 'contact.not_found',
      'contact.not_found', 'Batch Rep Own', 'Batch Bob Own', 'contact.not_found',
    ]);
    expect(answers[0].status === 'fulfilled' && answers[0].value).toEqual(first);
    // Alice's five gets shared a query, the rep's two theirs, Bob's two his.
    expect(await batchMetrics()).toEqual({ batches: before.batches + 3, gets: before.gets + 9 });
  });

  it('share them for companies too, each counting the contacts its own actor may see', async () => {
    // Sees every company like Alice, but only its own contacts: the two must not share a count.
    const role = await alice.post('/api/v1/roles', { key: 'company_reader', name: 'Company reader', grants: { company: { read: 'all' }, contact: { read: 'own', create: 'own' } } });
    expect(role.statusCode, JSON.stringify(role.body)).toBe(201);
    const repId = await addUser('company_reader');
    const [aliceActor, repActor] = [actor(alice, alice.userId, 'owner'), actor(alice, repId, 'company_reader')];
    const repsCompany = (await alice.post('/api/v1/companies', { name: 'Batch Rep Company', ownerId: repId })).body;
    const alicesCompany = (await alice.post('/api/v1/companies', { name: 'Batch Alice Company' })).body;
    for (const ownerId of [repId, alice.userId, alice.userId]) {
      expect((await alice.post('/api/v1/contacts', { name: `Works at ${ownerId}`, companyId: repsCompany.id, ownerId })).statusCode).toBe(201);
    }
    const { companies } = test.rapport.services;
    await Promise.all([companies.get(aliceActor, alicesCompany.id), companies.get(repActor, repsCompany.id)]);

    const before = await batchMetrics('company');
    const answers = await Promise.allSettled([
      companies.get(aliceActor, repsCompany.id), companies.get(aliceActor, alicesCompany.id.toUpperCase()), companies.get(repActor, repsCompany.id), companies.get(repActor, alicesCompany.id),
    ]);
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? [answer.value.name, answer.value.contactCount] : (answer.reason as { code: string }).code))).toEqual([
      ['Batch Rep Company', 3], ['Batch Alice Company', 0], ['Batch Rep Company', 1], ['Batch Alice Company', 0],
    ]);
    expect(await batchMetrics('company')).toEqual({ batches: before.batches + 2, gets: before.gets + 4 });
    expect((await alice.get(`/api/v1/companies/${repsCompany.id}`)).body.contactCount).toBe(3);
  });
});

describe('contact search', () => {
  let carol: TestClient;
  beforeAll(async () => {
    carol = await test.signup('Search Co');
    const company = await carol.post('/api/v1/companies', { name: '华信科技有限公司' });
    for (const contact of [
      { name: '王小明', email: 'xiaoming@huaxin.example.cn', phone: '+86 138 1234 5678', companyId: company.body.id },
      { name: '李雷', email: 'lilei@example.cn' },
      { name: 'Ada Lovelace', email: 'ada@analytical.example', phone: '+44 20 7946 0958' },
      { name: 'Alan Turing', email: 'alan@bletchley.example' },
    ]) expect((await carol.post('/api/v1/contacts', contact)).statusCode).toBe(201);
  });

  const names = async (query: string) => (await carol.get(`/api/v1/contacts?q=${encodeURIComponent(query)}`)).body.items.map((item: { name: string }) => item.name);

  it('finds a Chinese name by any two of its characters', async () => {
    expect(await names('小明')).toEqual(['王小明']);
    expect(await names('王小')).toEqual(['王小明']);
    expect(await names('李雷')).toEqual(['李雷']);
  });

  it('finds contacts by email, by phone in another format, and by company name', async () => {
    expect(await names('BLETCHLEY')).toEqual(['Alan Turing']);
    expect(await names('020 7946 0958')).toEqual(['Ada Lovelace']);
    expect(await names('华信')).toEqual(['王小明']);
    expect(await names('a%')).toEqual([]);
  });

  it('finds a one- or two-letter term at the start of a word of the name', async () => {
    expect(await names('tu')).toEqual(['Alan Turing']);
    expect(await names('T')).toEqual(['Alan Turing']);
    expect(await names('ri')).toEqual([]);
  });

  it('counts matches', async () => {
    expect((await carol.get('/api/v1/contacts/count')).body).toEqual({ count: 4, capped: false });
    expect((await carol.get('/api/v1/contacts/count?q=example.cn')).body).toEqual({ count: 2, capped: false });
  });

  it('finds the people of every company whose name matches, and pages through them', async () => {
    for (const [companyName, name] of [['Initech Systems', 'Peter Gibbons'], ['Initech Labs', 'Bill Lumbergh'], ['Initrode', 'Milton Waddams']]) {
      const company = await carol.post('/api/v1/companies', { name: companyName });
      expect((await carol.post('/api/v1/contacts', { name, companyId: company.body.id })).statusCode).toBe(201);
    }
    expect(await names('initech')).toEqual(['Bill Lumbergh', 'Peter Gibbons']);
    const first = await carol.get('/api/v1/contacts?q=INITECH&limit=1');
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['Bill Lumbergh']);
    const second = await carol.get(`/api/v1/contacts?q=INITECH&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((item: { name: string }) => item.name)).toEqual(['Peter Gibbons']);
    expect((await carol.get('/api/v1/contacts/count?q=initech')).body).toEqual({ count: 2, capped: false });
  });
});
