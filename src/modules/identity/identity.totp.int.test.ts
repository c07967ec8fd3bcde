import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

const password = 'correct horse battery';
// Codes of the next steps: each accepted step is used up, so a later sign-in needs a later step.
const codeFor = (secret: string, stepsAhead = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
const cookieOf = (response: any) => `rapport_session=${response.cookies.find((cookie: { name: string }) => cookie.name === 'rapport_session').value}`;
const login = (email: string) => test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } });
const loginTotp = (mfaToken: string, code: string) => test.request({ method: 'POST', url: '/api/v1/auth/login/totp', body: { mfaToken, code } });

async function signupWithEmail(email: string) {
  const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Two Factor Ltd', name: 'Ada', email, password } });
  const client = test.clientWith({ cookie: cookieOf(response), 'x-csrf-token': response.body.csrfToken });
  return { ...client, tenantId: response.body.tenant.id, userId: response.body.user.id, csrfToken: response.body.csrfToken } as TestClient;
}

async function enableTotp(client: TestClient) {
  const setup = await client.post('/api/v1/auth/totp/setup');
  expect(setup.statusCode).toBe(200);
  const wrong = await client.post('/api/v1/auth/totp/enable', { code: '000000' === codeFor(setup.body.secret) ? '111111' : '000000' });
  expect(wrong.body.error).toMatchObject({ code: 'auth.totp_invalid', details: [{ field: 'code' }] });
  const enabled = await client.post('/api/v1/auth/totp/enable', { code: codeFor(setup.body.secret) });
  expect(enabled.statusCode).toBe(200);
  return { secret: setup.body.secret as string, uri: setup.body.uri as string, recoveryCodes: enabled.body.recoveryCodes as string[] };
}

describe('TOTP two-factor sign-in', () => {
  it('sets up with a secret and URI, then asks for a code at sign-in; codes and recovery codes work once', async () => {
    const client = await signupWithEmail('totp@example.com');
    const { secret, uri, recoveryCodes } = await enableTotp(client);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Rapport:totp%40example\.com\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await client.get('/api/v1/auth/totp')).body).toEqual({ enabled: true, recoveryCodesLeft: 10, requiredByWorkspace: false });
    const stored = await test.superuserQuery('select code_hash from totp_recovery_code where user_id = $1', [client.userId]);
    expect(stored.map((row) => row.code_hash.toString('utf8')).join()).not.toContain(recoveryCodes[0].replace('-', ''));
    // The secret is never shown again.
    expect((await client.post('/api/v1/auth/totp/setup')).body.error.code).toBe('auth.totp_already_enabled');

    const first = await login('totp@example.com');
    expect(first.statusCode).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect(first.cookies.find((cookie: { name: string }) => cookie.name === 'rapport_session')).toBeUndefined();
    const wrong = await loginTotp(first.body.mfaToken, '12345x');
    expect(wrong.statusCode).toBe(400);
    const code = codeFor(secret, 1);
    const signedIn = await loginTotp(first.body.mfaToken, code);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body.user.email).toBe('totp@example.com');
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(signedIn) } })).statusCode).toBe(200);
    // The token of a finished sign-in is spent.
    expect((await loginTotp(first.body.mfaToken, codeFor(secret, 1))).body.error.code).toBe('auth.mfa_token_invalid');

    const second = await login('totp@example.com');
    expect((await loginTotp(second.body.mfaToken, code)).body.error.code).toBe('auth.totp_invalid');
    expect((await loginTotp(second.body.mfaToken, recoveryCodes[0].toUpperCase())).statusCode).toBe(200);
    const third = await login('totp@example.com');
    expect((await loginTotp(third.body.mfaToken, recoveryCodes[0])).body.error.code).toBe('auth.totp_invalid');

    expect((await client.post('/api/v1/auth/totp/disable', { code: 'wrong-code' })).statusCode).toBe(400);
    expect((await client.post('/api/v1/auth/totp/disable', { code: recoveryCodes[1] })).statusCode).toBe(204);
    const plain = await login('totp@example.com');
    expect(plain.body.user.email).toBe('totp@example.com');
  });

  it('allows five tries per sign-in step', async () => {
    const client = await signupWithEmail('tries@example.com');
    const { secret } = await enableTotp(client);
    const started = await login('tries@example.com');
    for (let attempt = 0; attempt < 5; attempt++) expect((await loginTotp(started.body.mfaToken, 'aaaaa-aaaaa')).statusCode).toBe(400);
    expect((await loginTotp(started.body.mfaToken, codeFor(secret, 1))).body.error.code).toBe('auth.mfa_token_invalid');
  });
});

describe('TOTP secrets at rest', () => {
  const storedSecret = async (userId: string) =>
    (await test.superuserQuery<{ secret: string }>('select secret from user_totp where user_id = $1', [userId]))[0].secret;
  async function signInWithCode(email: string, code: string) {
    const started = await login(email);
    expect(started.body.mfaRequired).toBe(true);
    return loginTotp(started.body.mfaToken, code);
  }

  it('are stored encrypted with the workspace key, never in clear, and still check codes', async () => {
    const client = await signupWithEmail('sealed.totp@example.com');
    const { secret } = await enableTotp(client);
    const stored = await storedSecret(client.userId);
    expect(stored).toMatch(/^enc:v1:\d+:/);
    expect(stored).not.toContain(secret);
    expect((await signInWithCode('sealed.totp@example.com', codeFor(secret, 1))).statusCode).toBe(200);
  });

  it('stored in clear before encryption keep working and are encrypted at their first use', async () => {
    const client = await signupWithEmail('legacy.totp@example.com');
    const { secret } = await enableTotp(client);
    await test.superuserQuery('update user_totp set secret = $1 where user_id = $2', [secret, client.userId]);
    expect((await signInWithCode('legacy.totp@example.com', codeFor(secret, 1))).statusCode).toBe(200);
    const stored = await storedSecret(client.userId);
    expect(stored).toMatch(/^enc:v1:\d+:/);
    // The step just used may be used again only in a test: the encrypted secret checks it as well.
    await test.superuserQuery('update user_totp set last_used_step = null where user_id = $1', [client.userId]);
    expect((await signInWithCode('legacy.totp@example.com', codeFor(secret, 1))).statusCode).toBe(200);
  });

  it('move to the new key when the workspace key is rotated', async () => {
    const client = await signupWithEmail('rotated.totp@example.com');
    const { secret } = await enableTotp(client);
    expect(await storedSecret(client.userId)).toMatch(/^enc:v1:1:/);
    // What `rapport keys rotate` runs; the API's rotation queues the same work as a job.
    const rotation = await test.rapport.services.encryption.rotateNow(client.tenantId);
    expect(rotation).toMatchObject({ keyVersion: 2 });
    expect(await storedSecret(client.userId)).toMatch(/^enc:v1:2:/);
    expect((await signInWithCode('rotated.totp@example.com', codeFor(secret, 1))).statusCode).toBe(200);
  });
});

describe('a workspace that requires two-factor sign-in', () => {
  it('only administrators with TOTP themselves may require it', async () => {
    const owner = await signupWithEmail('require.owner@example.com');
    const refused = await owner.patch('/api/v1/workspace/security', { requireTotp: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'auth.totp_not_enabled', details: [{ field: 'requireTotp' }] });
    await owner.post('/api/v1/users', { name: 'Mo', email: 'require.member@example.com', password, role: 'sales_rep' });
    const memberLogin = await login('require.member@example.com');
    const member = test.clientWith({ cookie: cookieOf(memberLogin), 'x-csrf-token': memberLogin.body.csrfToken });
    expect((await member.patch('/api/v1/workspace/security', { requireTotp: true })).statusCode).toBe(403);
  });

  it('holds users without TOTP at the set-up routes until they turn it on', async () => {
    const owner = await signupWithEmail('strict.owner@example.com');
    await enableTotp(owner);
    expect((await owner.post('/api/v1/users', { name: 'Mo', email: 'strict.member@example.com', password, role: 'sales_rep' })).statusCode).toBe(201);
    const memberBefore = await login('strict.member@example.com');
    const memberEarlier = test.clientWith({ cookie: cookieOf(memberBefore), 'x-csrf-token': memberBefore.body.csrfToken });
    expect((await memberEarlier.get('/api/v1/contacts')).statusCode).toBe(200);

    expect((await owner.patch('/api/v1/workspace/security', { requireTotp: true })).body).toEqual({ requireTotp: true });
    expect((await owner.get('/api/v1/workspace/security')).body).toEqual({ requireTotp: true });
    // Sessions from before the rule are held back at once, too.
    const heldBack = await memberEarlier.get('/api/v1/contacts');
    expect(heldBack.statusCode).toBe(403);
    expect(heldBack.body.error.code).toBe('auth.totp_setup_required');

    const memberLogin = await login('strict.member@example.com');
    expect(memberLogin.statusCode).toBe(200);
    expect(memberLogin.body).toMatchObject({ totpSetupRequired: true, user: { email: 'strict.member@example.com' } });
    const member = test.clientWith({ cookie: cookieOf(memberLogin), 'x-csrf-token': memberLogin.body.csrfToken });
    expect((await member.get('/api/v1/auth/me')).body.totpSetupRequired).toBe(true);
    expect((await member.get('/api/v1/contacts')).body.error.code).toBe('auth.totp_setup_required');
    expect((await member.post('/api/v1/contacts', { name: 'Sneaky' })).statusCode).toBe(403);
    await enableTotp(member as TestClient);
    expect((await member.get('/api/v1/contacts')).statusCode).toBe(200);
    expect((await member.get('/api/v1/auth/me')).body.totpSetupRequired).toBeUndefined();
    expect((await member.post('/api/v1/auth/totp/disable', { code: 'whatever-code' })).body.error.code).toBe('auth.totp_required');
  });
});
