// Sessions and API keys that must not work: expired, revoked, tampered, or from another workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

async function signIn(email: string) {
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  return { token: login.cookies.find((cookie) => cookie.name === 'rapport_session')!.value, csrfToken: login.body.csrfToken as string };
}

describe('credentials that must fail', () => {
  it('refuses an expired session', async () => {
    const email = `expiring.${Date.now()}@example.com`;
    await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Expiry', name: 'Ada', email, password: 'correct horse battery' } });
    const { token } = await signIn(email);
    await test.superuserQuery("update session set expires_at = now() - interval '1 minute' where token_hash = sha256(convert_to($1, 'UTF8'))", [token]);
    const response = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `rapport_session=${token}` } });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a tampered session token and a tampered API key', async () => {
    const client = await test.signup();
    const key = await client.post('/api/v1/api-keys', { name: 'Tamper' });
    const secret: string = key.body.secret;
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect((await test.clientWith({ authorization: `Bearer ${flipped}` }).get('/api/v1/contacts')).statusCode).toBe(401);
    expect((await test.clientWith({ authorization: `Bearer ${secret}` }).get('/api/v1/contacts')).statusCode).toBe(200);
    expect((await test.clientWith({ authorization: 'Bearer ' }).get('/api/v1/contacts')).statusCode).toBe(401);
    expect((await test.clientWith({ authorization: `Bearer ${'x'.repeat(5000)}` }).get('/api/v1/contacts')).statusCode).toBe(401);
  });

  it('keeps a valid session or key inside its own workspace', async () => {
    const alice = await test.signup();
    const bob = await test.signup();
    const secret = (await bob.post('/api/v1/api-keys', { name: 'Bob' })).body.secret;
    const alicesContact = await alice.post('/api/v1/contacts', { name: 'Alice only' });
    const bobsKey = test.clientWith({ authorization: `Bearer ${secret}` });
    expect((await bobsKey.get(`/api/v1/contacts/${alicesContact.body.id}`)).statusCode).toBe(404);
    expect((await bobsKey.patch(`/api/v1/contacts/${alicesContact.body.id}`, { name: 'Hijacked' })).statusCode).toBe(404);
    expect((await bob.get(`/api/v1/audit?entity=contact&id=${alicesContact.body.id}`)).body.items).toEqual([]);
    expect((await alice.get(`/api/v1/contacts/${alicesContact.body.id}`)).body.name).toBe('Alice only');
  });
});

describe('teams', () => {
  it('gives a manager the records of the teams below the one they manage', async () => {
    const owner = await test.signup();
    const add = async (name: string, role: string) => {
      const email = `${name}.${Date.now()}@example.com`;
      const user = await owner.post('/api/v1/users', { name, email, password: 'correct horse battery', role });
      const session = await signIn(email);
      return { id: user.body.id as string, client: test.clientWith({ cookie: `rapport_session=${session.token}`, 'x-csrf-token': session.csrfToken }) };
    };
    const manager = await add('manager', 'manager');
    const deepRep = await add('deep', 'sales_rep');
    const parent = await owner.post('/api/v1/teams', { name: 'Region', managerId: manager.id });
    const child = await owner.post('/api/v1/teams', { name: 'City', parentId: parent.body.id });
    expect((await owner.put(`/api/v1/teams/${child.body.id}/members`, { userIds: [deepRep.id] })).statusCode).toBe(200);
    const contact = await owner.post('/api/v1/contacts', { name: 'Deep record', ownerId: deepRep.id });
    expect((await manager.client.patch(`/api/v1/contacts/${contact.body.id}`, { name: 'Managed' })).statusCode).toBe(200);
    const loop = await owner.patch(`/api/v1/teams/${parent.body.id}`, { parentId: child.body.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.body.error.code).toBe('team.parent_loop');
  });
});
