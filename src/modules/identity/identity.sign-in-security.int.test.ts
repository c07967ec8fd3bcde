import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';
import { throttleRules } from './identity.throttle.js';

let test: TestApp;
beforeAll(async () => {
  // The tests play clients at several addresses through X-Forwarded-For, as a load balancer would.
  test = await startTestApp({ trustProxy: true });
});
afterAll(() => test.close());

const password = 'correct horse battery';
const login = (email: string, guess: string, ip: string, userAgent = 'test') =>
  test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: guess }, headers: { 'x-forwarded-for': ip, 'user-agent': userAgent } });
const cookieOf = (response: any) =>
  `rapport_session=${response.cookies.find((cookie: { name: string }) => cookie.name === 'rapport_session')!.value}`;

async function signupAs(email: string, workspaceName = 'Acme') {
  const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName, name: 'Ada', email, password } });
  expect(response.statusCode).toBe(201);
  return response;
}

describe('password policy', () => {
  it('refuses common passwords and the email or workspace name at sign-up, naming the field', async () => {
    for (const [candidate, workspaceName] of [['password1234', 'Acme'], ['weak@example.com', 'Acme'], ['Blue Whale Trading', 'blue whale trading']]) {
      const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName, name: 'Ada', email: 'weak@example.com', password: candidate } });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe('auth.password_weak');
      expect(response.body.error.details[0].field).toBe('password');
    }
    const long = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Acme', name: 'Ada', email: 'weak@example.com', password: 'x'.repeat(201) } });
    expect(long.body.error.details[0].field).toBe('password');
  });

  it('applies to a password change, which also ends the other sessions', async () => {
    const first = await signupAs('changer@example.com');
    const other = await login('changer@example.com', password, '10.0.0.9');
    const headers = { cookie: cookieOf(first), 'x-csrf-token': first.body.csrfToken };
    const weak = await test.request({ method: 'POST', url: '/api/v1/auth/password', headers, body: { currentPassword: password, password: 'qwertyuiop' } });
    expect(weak.body.error).toMatchObject({ code: 'auth.password_weak', details: [{ field: 'password' }] });
    const wrongCurrent = await test.request({ method: 'POST', url: '/api/v1/auth/password', headers, body: { currentPassword: 'not my password', password: 'a much better passphrase' } });
    expect(wrongCurrent.body.error).toMatchObject({ code: 'auth.current_password_wrong', details: [{ field: 'currentPassword' }] });
    const changed = await test.request({ method: 'POST', url: '/api/v1/auth/password', headers, body: { currentPassword: password, password: 'a much better passphrase' } });
    expect(changed.statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(other) } })).statusCode).toBe(401);
    expect((await login('changer@example.com', 'a much better passphrase', '10.0.0.9')).statusCode).toBe(200);
  });
});

describe('sign-in throttling', () => {
  it('throttles an address hammering one account, with Retry-After, while the real user signs in from elsewhere', async () => {
    await signupAs('victim@example.com');
    const attacker = '203.0.113.66';
    for (let attempt = 0; attempt < throttleRules.pairLimit; attempt++) {
      expect((await login('victim@example.com', `guess number ${attempt}`, attacker)).statusCode).toBe(401);
    }
    const throttled = await login('victim@example.com', 'one more guess', attacker);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.body.error.code).toBe('auth.throttled');
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(throttleRules.maxDelayMs / 1000);
    // Even the right password waits: the attacker learns nothing while throttled.
    expect((await login('victim@example.com', password, attacker)).statusCode).toBe(429);

    const realUser = await login('victim@example.com', password, '198.51.100.7');
    expect(realUser.statusCode).toBe(200);
    expect(realUser.body.user.email).toBe('victim@example.com');
  });

  it('slows an account attacked from many addresses, but not from an address it signed in from before', async () => {
    await signupAs('spread@example.com');
    expect((await login('spread@example.com', password, '198.51.100.20')).statusCode).toBe(200);
    for (let attempt = 0; attempt < throttleRules.accountLimit; attempt++) {
      expect((await login('spread@example.com', 'wrong guess here', `203.0.113.${attempt + 1}`)).statusCode).toBe(401);
    }
    expect((await login('spread@example.com', 'wrong guess here', '203.0.113.200')).statusCode).toBe(429);
    expect((await login('spread@example.com', password, '198.51.100.20')).statusCode).toBe(200);
  });

  it('records sign-ins and failed sign-ins on the user’s history', async () => {
    const signup = await signupAs('history@example.com');
    expect((await login('history@example.com', 'wrong password', '192.0.2.1')).statusCode).toBe(401);
    expect((await login('history@example.com', password, '192.0.2.2')).statusCode).toBe(200);
    const rows = await test.superuserQuery(
      `select operation, ip, actor_type from change_log where tenant_id = $1 and entity = 'user' and entity_id = $2 order by seq`,
      [signup.body.tenant.id, signup.body.user.id]);
    expect(rows.map((row) => row.operation)).toEqual(['create', 'sign_in', 'sign_in_failed', 'sign_in']);
    expect(rows[2]).toMatchObject({ ip: '192.0.2.1', actor_type: 'system' });
    expect(rows[3]).toMatchObject({ ip: '192.0.2.2', actor_type: 'user' });
  });
});

describe('sessions', () => {
  it('lists your sessions with the current one marked, and ends one at once', async () => {
    const signup = await signupAs('sessions@example.com');
    const laptop = { cookie: cookieOf(signup), 'x-csrf-token': signup.body.csrfToken };
    const phoneLogin = await login('sessions@example.com', password, '192.0.2.50', 'Phone browser');
    const phone = { cookie: cookieOf(phoneLogin) };
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: phone })).statusCode).toBe(200);

    const listed = await test.request({ method: 'GET', url: '/api/v1/sessions', headers: laptop });
    expect(listed.statusCode).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const phoneSession = listed.body.items.find((session: any) => session.userAgent === 'Phone browser');
    expect(phoneSession).toMatchObject({ ip: '192.0.2.50', current: false, createdAt: expect.any(String), expiresAt: expect.any(String) });
    expect(listed.body.items.filter((session: any) => session.current)).toHaveLength(1);

    expect((await test.request({ method: 'DELETE', url: `/api/v1/sessions/${phoneSession.id}`, headers: laptop })).statusCode).toBe(204);
    // The phone's authentication was cached a moment ago; revocation evicts it, so this is immediate.
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: phone })).statusCode).toBe(401);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/sessions/${phoneSession.id}`, headers: laptop })).statusCode).toBe(404);
  });

  it('lets an administrator see and end another user’s session, and nobody else’s', async () => {
    const owner = await test.signup();
    const memberCreated = await owner.post('/api/v1/users', { name: 'Mo', email: 'member.sessions@example.com', password, role: 'sales_rep' });
    expect(memberCreated.statusCode).toBe(201);
    const memberLogin = await login('member.sessions@example.com', password, '192.0.2.60');
    const member = { cookie: cookieOf(memberLogin), 'x-csrf-token': memberLogin.body.csrfToken };

    const listed = await owner.get(`/api/v1/users/${memberCreated.body.id}/sessions`);
    expect(listed.statusCode).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const forbidden = await test.request({ method: 'GET', url: `/api/v1/users/${owner.userId}/sessions`, headers: member });
    expect(forbidden.statusCode).toBe(403);

    const outsider = await test.signup();
    expect((await outsider.delete(`/api/v1/users/${memberCreated.body.id}/sessions/${listed.body.items[0].id}`)).statusCode).toBe(404);
    expect((await owner.delete(`/api/v1/users/${memberCreated.body.id}/sessions/${listed.body.items[0].id}`)).statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: member })).statusCode).toBe(401);
    const log = await test.superuserQuery(`select operation from change_log where tenant_id = $1 and entity = 'session' and entity_id = $2`, [owner.tenantId, listed.body.items[0].id]);
    expect(log).toEqual([{ operation: 'delete' }]);
  });
});
