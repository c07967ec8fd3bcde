// The permission matrix: every record route family × every built-in role × records the
// actor owns, a teammate owns, someone else owns, and another workspace's records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from './test-app.js';

type Relation = 'own' | 'team' | 'other';
type Client = Omit<TestClient, 'tenantId' | 'userId' | 'csrfToken'> & { userId: string };

// What each built-in role may do to contacts and companies, by whose record it is. Written
// out by hand from the product rules, not derived from the code under test.
const expected: Record<string, { read: Relation[]; update: Relation[]; delete: Relation[]; create: boolean }> = {
  owner: { read: ['own', 'team', 'other'], update: ['own', 'team', 'other'], delete: ['own', 'team', 'other'], create: true },
  admin: { read: ['own', 'team', 'other'], update: ['own', 'team', 'other'], delete: ['own', 'team', 'other'], create: true },
  manager: { read: ['own', 'team', 'other'], update: ['own', 'team'], delete: ['own', 'team'], create: true },
  sales_rep: { read: ['own', 'team'], update: ['own'], delete: ['own'], create: true },
  support_agent: { read: ['own', 'team', 'other'], update: ['own', 'team'], delete: [], create: true },
  read_only: { read: ['own', 'team', 'other'], update: [], delete: [], create: false },
};
const roles = Object.keys(expected);

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;
const users: Record<string, Client> = {};
let outsider: Client;
const teammateOf: Record<string, string> = {};

async function addUser(role: string, name: string): Promise<Client> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await owner.post('/api/v1/users', { name, email, password: 'correct horse battery', role });
  expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session');
  if (!cookie) throw new Error(`sign-in failed: ${login.statusCode} ${JSON.stringify(login.body)}`);
  return { ...test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken }), userId: created.body.id };
}

async function team(name: string, managerId: string | null, memberIds: string[]) {
  const created = await owner.post('/api/v1/teams', { name, managerId });
  expect(created.statusCode).toBe(201);
  expect((await owner.patch(`/api/v1/teams/${created.body.id}`, {})).statusCode).toBe(200);
  expect((await owner.put(`/api/v1/teams/${created.body.id}/members`, { userIds: memberIds })).statusCode).toBe(200);
}

let ownerCookie = '';

beforeAll(async () => {
  test = await startTestApp();
  const signup = await test.request<any>({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Matrix', name: 'Olive Owner', email: `owner.${Date.now()}@example.com`, password: 'correct horse battery' } });
  ownerCookie = `rapport_session=${signup.cookies.find((cookie) => cookie.name === 'rapport_session')!.value}`;
  owner = { ...test.clientWith({ cookie: ownerCookie, 'x-csrf-token': signup.body.csrfToken }), tenantId: signup.body.tenant.id, userId: signup.body.user.id, csrfToken: signup.body.csrfToken };
  stranger = await test.signup('Elsewhere');
  users.owner = { ...owner, userId: owner.userId };
  for (const role of roles.filter((role) => role !== 'owner')) users[role] = await addUser(role, `${role} user`);
  const salesPartner = await addUser('sales_rep', 'Sales Partner');
  const secondOwner = await addUser('owner', 'Second Owner');
  outsider = await addUser('sales_rep', 'Outsider');
  // Sales: the manager manages it; the rep's teammate is in it. Service: everyone else, in pairs.
  await team('Sales', users.manager.userId, [users.sales_rep.userId, salesPartner.userId]);
  await team('Service', null, [users.support_agent.userId, users.read_only.userId, users.admin.userId, secondOwner.userId, users.owner.userId]);
  teammateOf.owner = secondOwner.userId;
  teammateOf.admin = secondOwner.userId;
  teammateOf.manager = users.sales_rep.userId;
  teammateOf.sales_rep = salesPartner.userId;
  teammateOf.support_agent = users.read_only.userId;
  teammateOf.read_only = users.support_agent.userId;
});
afterAll(() => test.close());

function ownerOf(role: string, relation: Relation): string {
  if (relation === 'own') return users[role].userId;
  return relation === 'team' ? teammateOf[role] : outsider.userId;
}

async function recordOwnedBy(kind: 'contacts' | 'companies', ownerId: string, name: string): Promise<string> {
  const created = await owner.post(`/api/v1/${kind}`, { name, ownerId, ...(kind === 'contacts' ? { phone: '+44 20 7946 0958' } : {}) });
  expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

describe.each(['contacts', 'companies'] as const)('%s', (kind) => {
  describe.each(roles)('as %s', (role) => {
    it.each(['own', 'team', 'other'] as Relation[])('reads, lists, searches, updates and deletes a record of %s', async (relation) => {
      const client = users[role];
      const rules = expected[role];
      const marker = `M${Math.random().toString(36).slice(2, 10)}`;
      const id = await recordOwnedBy(kind, ownerOf(role, relation), `${marker} ${relation}`);
      const readable = rules.read.includes(relation);

      expect((await client.get(`/api/v1/${kind}/${id}`)).statusCode).toBe(readable ? 200 : 404);
      const listed = await client.get(`/api/v1/${kind}?q=${marker}`);
      expect(listed.statusCode).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual(readable ? [id] : []);
      expect((await client.get(`/api/v1/${kind}/count?q=${marker}`)).body.count).toBe(readable ? 1 : 0);
      const history = await client.get(`/api/v1/audit?entity=${kind === 'contacts' ? 'contact' : 'company'}&id=${id}`);
      expect(history.statusCode).toBe(readable ? 200 : 404);

      const patch = await client.patch(`/api/v1/${kind}/${id}`, { name: `${marker} renamed` });
      expect(patch.statusCode).toBe(!readable ? 404 : rules.update.includes(relation) ? 200 : 403);
      if (patch.statusCode === 403) expect(patch.body.error.code).toBe('permission.denied');
      const removal = await client.delete(`/api/v1/${kind}/${id}`);
      expect(removal.statusCode).toBe(!readable ? 404 : rules.delete.includes(relation) ? 204 : 403);
      expect((await owner.get(`/api/v1/${kind}/${id}`)).statusCode).toBe(rules.delete.includes(relation) && readable ? 404 : 200);
    });

    it('creates records only when the role allows, and never for another workspace', async () => {
      const created = await users[role].post(`/api/v1/${kind}`, { name: 'Created by role' });
      expect(created.statusCode).toBe(expected[role].create ? 201 : 403);
      const theirs = await stranger.post(`/api/v1/${kind}`, { name: 'Not yours' });
      // Another workspace's record is not found; a role that may not update or delete at all
      // is told so before any record is looked up.
      expect((await users[role].get(`/api/v1/${kind}/${theirs.body.id}`)).statusCode).toBe(404);
      expect((await users[role].patch(`/api/v1/${kind}/${theirs.body.id}`, { name: 'Taken' })).statusCode).toBe(expected[role].update.length ? 404 : 403);
      expect((await users[role].delete(`/api/v1/${kind}/${theirs.body.id}`)).statusCode).toBe(expected[role].delete.length ? 404 : 403);
      expect((await users[role].get(`/api/v1/audit?entity=${kind === 'contacts' ? 'contact' : 'company'}&id=${theirs.body.id}`)).statusCode)
        .toBe(['owner', 'admin'].includes(role) || expected[role].read.includes('other') ? 200 : 404);
    });
  });
});

describe('field rules', () => {
  it('hides a contact’s phone from read only users in records, lists, search and history', async () => {
    const id = await recordOwnedBy('contacts', owner.userId, 'Phoebe Phone');
    const reader = users.read_only;
    const record = await reader.get(`/api/v1/contacts/${id}`);
    expect(record.body.name).toBe('Phoebe Phone');
    expect(record.body).not.toHaveProperty('phone');
    expect((await reader.get('/api/v1/contacts?q=Phoebe')).body.items[0]).not.toHaveProperty('phone');
    expect((await reader.get('/api/v1/contacts?q=020%207946%200958')).body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    expect((await owner.get('/api/v1/contacts?q=020%207946%200958')).body.items.map((item: { id: string }) => item.id)).toContain(id);
    const history = await reader.get(`/api/v1/audit?entity=contact&id=${id}`);
    expect(history.body.items[0].changes).not.toHaveProperty('phone');
    expect(history.body.items[0].changes).toHaveProperty('name');
  });

  it('refuses a write to a read-only field of a custom role with a 403 naming the field', async () => {
    const role = await owner.post('/api/v1/roles', {
      key: 'junior', name: 'Junior', grants: { contact: { read: 'own', create: 'all', update: 'own' } }, fieldRules: { contact: { email: 'read_only' } },
    });
    expect(role.statusCode).toBe(201);
    const junior = await addUser('junior', 'Junior');
    const mine = await junior.post('/api/v1/contacts', { name: 'Mine' });
    expect(mine.statusCode).toBe(201);
    const blocked = await junior.patch(`/api/v1/contacts/${mine.body.id}`, { email: 'new@example.com' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.body.error.details).toEqual([{ field: 'email', message: expect.any(String) }]);
    expect((await junior.patch(`/api/v1/contacts/${mine.body.id}`, { name: 'Still mine' })).statusCode).toBe(200);
    expect((await junior.get('/api/v1/companies')).statusCode).toBe(403);
    expect((await owner.delete('/api/v1/roles/junior')).statusCode).toBe(409);
  });
});

describe('protected fields and ownership', () => {
  it('refuses tenant ids, timestamps and unknown fields in a body', async () => {
    for (const body of [{ name: 'X', tenantId: stranger.tenantId }, { name: 'X', createdAt: '2020-01-01T00:00:00Z' }, { name: 'X', role: 'owner' }]) {
      const response = await users.sales_rep.post('/api/v1/contacts', body);
      expect(response.statusCode).toBe(400);
      expect(response.body.error.details[0].field).toBe(Object.keys(body)[1]);
    }
  });

  it('lets a rep keep records but not give them away; a manager assigns within the team', async () => {
    const given = await users.sales_rep.post('/api/v1/contacts', { name: 'Gift', ownerId: outsider.userId });
    expect(given.statusCode).toBe(403);
    expect(given.body.error.details[0].field).toBe('ownerId');
    const kept = await users.sales_rep.post('/api/v1/contacts', { name: 'Kept', ownerId: users.sales_rep.userId });
    expect(kept.statusCode).toBe(201);
    expect((await users.manager.patch(`/api/v1/contacts/${kept.body.id}`, { ownerId: teammateOf.sales_rep })).statusCode).toBe(200);
    expect((await users.manager.patch(`/api/v1/contacts/${kept.body.id}`, { ownerId: outsider.userId })).statusCode).toBe(403);
    const nobody = await owner.post('/api/v1/contacts', { name: 'Orphan', ownerId: '0190f3c2-0000-7000-8000-000000000000' });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.body.error).toMatchObject({ code: 'contact.owner_not_found', details: [{ field: 'ownerId' }] });
    const nobodyCompany = await owner.post('/api/v1/companies', { name: 'Orphan Ltd', ownerId: '0190f3c2-0000-7000-8000-000000000000' });
    expect(nobodyCompany.body.error.code).toBe('company.owner_not_found');
  });
});

describe('administration', () => {
  it.each(roles)('as %s: manages users, roles, teams and the workspace log only when an administrator', async (role) => {
    const isAdministrator = role === 'owner' || role === 'admin';
    const client = users[role];
    const attempts = [
      await client.post('/api/v1/users', { name: 'New', email: `new.${role}@example.com`, password: 'correct horse battery staple', role: 'sales_rep' }),
      await client.post('/api/v1/roles', { key: `custom_${role}`, name: 'Custom', grants: {} }),
      await client.post('/api/v1/teams', { name: `Team of ${role}` }),
      await client.get('/api/v1/audit'),
      await client.get('/api/v1/audit/export'),
    ];
    for (const attempt of attempts) expect(attempt.statusCode).toBe(isAdministrator ? (attempt.statusCode === 200 ? 200 : 201) : 403);
    expect((await client.get('/api/v1/roles')).statusCode).toBe(200);
    expect((await client.get('/api/v1/roles/objects')).body.items).toEqual(expect.arrayContaining([
      { name: 'contact', fields: expect.arrayContaining(['email', 'phone']) }, { name: 'company', fields: expect.arrayContaining(['domain']) },
    ]));
  });

  it('lists who did what in the workspace, with filters and a CSV export', async () => {
    const log = await owner.get(`/api/v1/audit?entity=team`);
    expect(log.body.items.length).toBeGreaterThanOrEqual(2);
    expect(log.body.items.every((item: { entity: string }) => item.entity === 'team')).toBe(true);
    const csv = await owner.get('/api/v1/audit/export?entity=role');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.body).split('\r\n')[0]).toBe('seq,at,actor_id,actor_name,actor_type,ip,entity,entity_id,operation,changes');
    expect(String(csv.body)).toContain('junior');
  });

  it('binds an API key to a role', async () => {
    const key = await owner.post('/api/v1/api-keys', { name: 'Reporting', role: 'read_only' });
    expect(key.body.role).toBe('read_only');
    const robot = test.clientWith({ authorization: `Bearer ${key.body.secret}` });
    expect((await robot.get('/api/v1/contacts')).statusCode).toBe(200);
    expect((await robot.post('/api/v1/contacts', { name: 'Nope' })).statusCode).toBe(403);
    expect((await users.sales_rep.post('/api/v1/api-keys', { name: 'Escalate', role: 'owner' })).statusCode).toBe(403);
  });

  it('stops a disabled user at once', async () => {
    const leaver = await addUser('sales_rep', 'Leaver');
    expect((await leaver.get('/api/v1/contacts')).statusCode).toBe(200);
    expect((await owner.patch(`/api/v1/users/${leaver.userId}`, { disabled: true })).statusCode).toBe(200);
    expect((await leaver.get('/api/v1/contacts')).statusCode).toBe(401);
  });
});
