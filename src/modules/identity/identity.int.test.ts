import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

const signupBody = (email: string) => ({ workspaceName: 'Acme', name: 'Ada', email, password: 'correct horse battery' });

function sessionCookie(response: { headers: Record<string, unknown> }) {
  const header = [response.headers['set-cookie']].flat().find((value) => String(value).startsWith('rapport_session='));
  return String(header);
}

describe('sign-up and sign-in', () => {
  it('signs up into a new workspace with an httpOnly, SameSite=Lax session cookie', async () => {
    const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: signupBody('Founder@Example.com') });
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({ user: { email: 'founder@example.com', role: 'owner' }, tenant: { name: 'Acme' }, csrfToken: expect.any(String) });
    const cookie = sessionCookie(response);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0] } });
    expect(me.body.user.email).toBe('founder@example.com');
    expect(me.body.csrfToken).toBe(response.body.csrfToken);
  });

  it('refuses a taken email, a short password and unknown fields', async () => {
    await test.request({ method: 'POST', url: '/api/v1/signup', body: signupBody('taken@example.com') });
    const taken = await test.request({ method: 'POST', url: '/api/v1/signup', body: signupBody('TAKEN@example.com') });
    expect(taken.statusCode).toBe(409);
    expect(taken.body.error.code).toBe('auth.email_taken');
    const short = await test.request({ method: 'POST', url: '/api/v1/signup', body: { ...signupBody('short@example.com'), password: 'short' } });
    expect(short.body.error.details[0].field).toBe('password');
    const extra = await test.request({ method: 'POST', url: '/api/v1/signup', body: { ...signupBody('extra@example.com'), role: 'admin' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.body.error.details[0].field).toBe('role');
  });

  it('signs in with the right password only, and signs out', async () => {
    await test.request({ method: 'POST', url: '/api/v1/signup', body: signupBody('login@example.com') });
    const wrong = await test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email: 'login@example.com', password: 'wrong password!' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body.error.code).toBe('auth.invalid_credentials');
    const unknown = await test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email: 'nobody@example.com', password: 'whatever it is' } });
    expect(unknown.body.error.code).toBe('auth.invalid_credentials');
    const login = await test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email: 'LOGIN@example.com', password: 'correct horse battery' } });
    expect(login.statusCode).toBe(200);
    const cookie = sessionCookie(login).split(';')[0];
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', body: {}, headers: { cookie } })).statusCode).toBe(204);
    const after = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.body.error.code).toBe('auth.unauthenticated');
  });

  it('needs a session or key for the API, and rejects a made-up or tampered token', async () => {
    expect((await test.request({ method: 'GET', url: '/api/v1/contacts' })).statusCode).toBe(401);
    expect((await test.request({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: 'rapport_session=forged' } })).statusCode).toBe(401);
    const client = await test.signup();
    const me = await client.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect((await test.request({ method: 'GET', url: '/api/v1/contacts', headers: { authorization: 'Bearer rpk_forged' } })).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated change without the CSRF token', async () => {
    const client = await test.signup();
    const withoutToken = await client.post('/api/v1/contacts', { name: 'Ada' }, { 'x-csrf-token': '' });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.body.error.code).toBe('auth.csrf_invalid');
    const wrongToken = await client.post('/api/v1/contacts', { name: 'Ada' }, { 'x-csrf-token': 'guess' });
    expect(wrongToken.statusCode).toBe(403);
    expect((await client.post('/api/v1/contacts', { name: 'Ada' })).statusCode).toBe(201);
  });

  it('turns sign-up off by a setting', async () => {
    const closed = await startTestApp({ signupEnabled: false });
    try {
      const response = await closed.request({ method: 'POST', url: '/api/v1/signup', body: signupBody('closed@example.com') });
      expect(response.statusCode).toBe(403);
      expect(response.body.error.code).toBe('auth.signup_disabled');
    } finally {
      await closed.close();
    }
  });
});

describe('API keys', () => {
  it('shows the secret once, authenticates without CSRF, and stops working at once when revoked', async () => {
    const owner = await test.signup();
    const created = await owner.post('/api/v1/api-keys', { name: 'Zapier' });
    expect(created.statusCode).toBe(201);
    expect(created.body.secret).toMatch(/^rpk_/);
    const listed = await owner.get('/api/v1/api-keys');
    expect(listed.body.items).toEqual([{ id: created.body.id, name: 'Zapier', prefix: created.body.secret.slice(0, 12), role: null, createdAt: created.body.createdAt }]);
    const stored = await test.superuserQuery('select secret_hash from api_key where id = $1', [created.body.id]);
    expect(stored[0].secret_hash.toString('utf8')).not.toContain(created.body.secret);

    const robot = test.clientWith({ authorization: `Bearer ${created.body.secret}` });
    const contact = await robot.post('/api/v1/contacts', { name: 'Made by a robot' });
    expect(contact.statusCode).toBe(201);
    expect((await owner.get(`/api/v1/contacts/${contact.body.id}`)).statusCode).toBe(200);

    expect((await owner.delete(`/api/v1/api-keys/${created.body.id}`)).statusCode).toBe(204);
    expect((await robot.get('/api/v1/contacts')).statusCode).toBe(401);
    expect((await owner.delete(`/api/v1/api-keys/${created.body.id}`)).statusCode).toBe(404);
  });

  it('cannot revoke another workspace’s key', async () => {
    const alice = await test.signup();
    const bob = await test.signup();
    const key = await alice.post('/api/v1/api-keys', { name: 'Mine' });
    expect((await bob.delete(`/api/v1/api-keys/${key.body.id}`)).statusCode).toBe(404);
    expect((await test.clientWith({ authorization: `Bearer ${key.body.secret}` }).get('/api/v1/contacts')).statusCode).toBe(200);
  });
});
