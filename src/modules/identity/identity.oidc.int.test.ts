// OpenID Connect sign-in against a real OpenID provider (oidc-provider) on a loopback port:
// the browser's journey is driven by following redirects and submitting the provider's own
// login and consent forms (its devInteractions pages).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../../../test/test-app.js';

const rapportOrigin = 'http://rapport.test';
const clientId = 'rapport-test';
const clientSecret = crypto.randomBytes(32).toString('hex');

let test: TestApp;
let provider: { issuer: string; close(): Promise<void> };

async function startProvider() {
  let handler: http.RequestListener = (_request, response) => response.end();
  const server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const oidc = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [`${rapportOrigin}/api/v1/auth/sso/oidc/callback`], token_endpoint_auth_method: 'client_secret_basic' }],
    // The login form's "login" is the account id; accounts are their email addresses.
    findAccount: async (_context, accountId) => ({
      accountId,
      claims: async () => ({ sub: accountId, email: accountId, email_verified: true, name: `Person ${accountId.split('@')[0]}` }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    jwks: { keys: [{ ...signingKey, kid: 'test-key', alg: 'RS256', use: 'sig' } as never] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: true } },
  });
  handler = oidc.callback();
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  provider = await startProvider();
  test = await startTestApp({ publicUrl: rapportOrigin });
});
afterAll(async () => {
  await test?.close();
  await provider?.close();
});

/** A browser: cookies per host, redirects followed, the provider's forms submitted as `login`. */
function createBrowser(login: string) {
  const jars = new Map<string, Map<string, string>>();
  const jarFor = (url: URL) => jars.get(url.host) ?? jars.set(url.host, new Map()).get(url.host)!;
  const cookieHeader = (url: URL) => [...jarFor(url)].map(([name, value]) => `${name}=${value}`).join('; ');
  function remember(url: URL, setCookies: string[]) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const expired = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired) jarFor(url).delete(name);
      else jarFor(url).set(name, pair.slice(pair.indexOf('=') + 1));
    }
  }

  async function request(method: string, url: URL, form?: URLSearchParams) {
    if (url.origin === rapportOrigin) {
      const response = await test.rapport.app.inject({
        method: method as 'GET', url: url.pathname + url.search, headers: { cookie: cookieHeader(url), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        payload: form?.toString(),
      });
      remember(url, [response.headers['set-cookie'] ?? []].flat().map(String));
      return { status: response.statusCode, location: response.headers.location as string | undefined, body: response.body };
    }
    const response = await fetch(url, { method, redirect: 'manual', headers: { cookie: cookieHeader(url), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body: form });
    remember(url, response.headers.getSetCookie());
    return { status: response.status, location: response.headers.get('location') ?? undefined, body: await response.text() };
  }

  return {
    jars,
    /** Follows the journey from `start` until it lands on a Rapport page that is not an API route. */
    async visit(start: string) {
      let url = new URL(start, rapportOrigin);
      let method = 'GET';
      let form: URLSearchParams | undefined;
      for (let step = 0; step < 20; step++) {
        const response = await request(method, url, form);
        if (response.location) {
          url = new URL(response.location, url);
          method = 'GET';
          form = undefined;
          if (url.origin === rapportOrigin && !url.pathname.startsWith('/api/')) return url;
          continue;
        }
        const action = /<form[^>]*action="([^"]+)"/.exec(response.body)?.[1];
        const prompt = /name="prompt" value="([a-z]+)"/.exec(response.body)?.[1];
        if (response.status !== 200 || !action || !prompt) throw new Error(`stuck at ${url.href}: ${response.status} ${response.body.slice(0, 300)}`);
        url = new URL(action.replace(/&amp;/g, '&'), url);
        method = 'POST';
        form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt });
      }
      throw new Error('too many steps');
    },
    rapportCookie: () => cookieHeader(new URL(rapportOrigin)),
  };
}

interface Owner {
  tenantId: string;
  slug: string;
  put(url: string, body: unknown): Promise<TestResponse>;
}

/** Signs up a workspace and keeps the owner's cookie and CSRF token (TestClient has no PUT). */
async function signUpOwner(app: TestApp): Promise<Owner & { get(url: string): Promise<TestResponse> }> {
  const email = `owner.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const response = await app.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Acme', name: 'Olive Owner', email, password: 'correct horse battery' } });
  const cookie = [response.headers['set-cookie']].flat().map(String).find((line) => line.startsWith('rapport_session='))!.split(';')[0];
  const headers = { cookie, 'x-csrf-token': response.body.csrfToken as string };
  return {
    tenantId: response.body.tenant.id, slug: response.body.tenant.slug,
    get: (url) => app.request({ method: 'GET', url, headers }),
    put: (url, body) => app.request({ method: 'PUT', url, body, headers }),
  };
}

async function setUpWorkspace(settings: Record<string, unknown> = {}) {
  const owner = await signUpOwner(test);
  const saved = await owner.put('/api/v1/workspace/sso/oidc', { issuerUrl: provider.issuer, clientId, clientSecret, allowedDomains: ['acme.test'], enabled: true, ...settings });
  expect(saved.statusCode).toBe(200);
  return { owner, slug: owner.slug };
}

describe('OIDC settings', () => {
  it('are for administrators, keep the secret hidden and name the redirect URI', async () => {
    const owner = await signUpOwner(test);
    const empty = await owner.get('/api/v1/workspace/sso/oidc');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toMatchObject({ enabled: false, hasClientSecret: false, defaultRole: 'sales_rep', redirectUri: `${rapportOrigin}/api/v1/auth/sso/oidc/callback`, startUrl: `${rapportOrigin}/api/v1/auth/sso/${owner.slug}/oidc/start` });

    const body = { issuerUrl: provider.issuer, clientId, clientSecret: 'first secret', allowedDomains: ['Acme.test'], enabled: true };
    const patch = await owner.put('/api/v1/workspace/sso/oidc', body);
    expect(patch.statusCode).toBe(200);
    expect(patch.body).toMatchObject({ issuerUrl: provider.issuer, allowedDomains: ['acme.test'], hasClientSecret: true, enabled: true });
    expect(JSON.stringify(patch.body)).not.toContain('first secret');
    const history = await test.superuserQuery(`select after from change_log where tenant_id = $1 and entity = 'sso_oidc_setting'`, [owner.tenantId]);
    expect(history).toHaveLength(1);
    expect(JSON.stringify(history[0].after)).not.toContain('first secret');

    const noDomain = await owner.put('/api/v1/workspace/sso/oidc', { ...body, allowedDomains: [] });
    expect(noDomain.statusCode).toBe(400);
    expect(noDomain.body.error).toMatchObject({ code: 'sso.allowed_domains_required', details: [{ field: 'allowedDomains' }] });
    const insecure = await owner.put('/api/v1/workspace/sso/oidc', { ...body, issuerUrl: 'http://idp.example.com' });
    expect(insecure.body.error).toMatchObject({ code: 'sso.issuer_url_insecure', details: [{ field: 'issuerUrl' }] });
    const badRole = await owner.put('/api/v1/workspace/sso/oidc', { ...body, defaultRole: 'emperor' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.body.error.details[0].field).toBe('defaultRole');
    const unknownField = await owner.put('/api/v1/workspace/sso/oidc', { ...body, tenantId: owner.tenantId });
    expect(unknownField.body.error.details[0].field).toBe('tenantId');
  });

  it('refuses a user who is not an administrator', async () => {
    const { slug } = await setUpWorkspace({ defaultRole: 'read_only' });
    const browser = createBrowser('reader@acme.test');
    expect((await browser.visit(`/api/v1/auth/sso/${slug}/oidc/start`)).pathname).toBe('/');
    const reader = { cookie: browser.rapportCookie() };
    const me = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: reader });
    expect(me.body.user.role).toBe('read_only');
    const read = await test.request({ method: 'GET', url: '/api/v1/workspace/sso/oidc', headers: reader });
    expect(read.statusCode).toBe(403);
    expect(read.body.error.code).toBe('auth.forbidden');
  });
});

describe('the OIDC client secret at rest', () => {
  const storedSecret = async (tenantId: string) =>
    (await test.superuserQuery<{ client_secret: string }>('select client_secret from sso_oidc_setting where tenant_id = $1', [tenantId]))[0].client_secret;
  const signsIn = async (slug: string, email: string) => (await createBrowser(email).visit(`/api/v1/auth/sso/${slug}/oidc/start`)).pathname === '/';
  // The provider's discovery answer (which holds the secret) is cached per saved version.
  const forgetCachedConfiguration = (tenantId: string) =>
    test.superuserQuery(`update sso_oidc_setting set updated_at = updated_at + interval '1 millisecond' where tenant_id = $1`, [tenantId]);

  it('is stored encrypted with the workspace key, and the provider still accepts it', async () => {
    const { owner, slug } = await setUpWorkspace();
    const stored = await storedSecret(owner.tenantId);
    expect(stored).toMatch(/^enc:v1:\d+:/);
    expect(stored).not.toContain(clientSecret);
    expect(await signsIn(slug, 'sealed@acme.test')).toBe(true);
  });

  it('saved in clear before encryption still works, and moves to the new key when the key is rotated', async () => {
    const { owner, slug } = await setUpWorkspace();
    await test.superuserQuery('update sso_oidc_setting set client_secret = $1 where tenant_id = $2', [clientSecret, owner.tenantId]);
    await forgetCachedConfiguration(owner.tenantId);
    expect(await signsIn(slug, 'legacy@acme.test')).toBe(true);
    const rotation = await test.rapport.services.encryption.rotateNow(owner.tenantId);
    const stored = await storedSecret(owner.tenantId);
    expect(stored).toMatch(new RegExp(`^enc:v1:${rotation.keyVersion}:`));
    await forgetCachedConfiguration(owner.tenantId);
    expect(await signsIn(slug, 'rotated@acme.test')).toBe(true);
  });
});

describe('OIDC sign-in', () => {
  it('creates the user just in time with the default role, then signs the same user in again', async () => {
    const { owner, slug } = await setUpWorkspace();
    const browser = createBrowser('ada@acme.test');
    const landed = await browser.visit(`/api/v1/auth/sso/${slug}/oidc/start`);
    expect(landed.pathname).toBe('/');
    const me = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: browser.rapportCookie() } });
    expect(me.statusCode).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'ada@acme.test', name: 'Person ada', role: 'sales_rep' });
    expect(me.body.tenant.id).toBe(owner.tenantId);
    const logged = await test.superuserQuery(`select actor_type, after from change_log where tenant_id = $1 and entity = 'user' and entity_id = $2 and operation = 'create'`, [owner.tenantId, me.body.user.id]);
    expect(logged).toEqual([{ actor_type: 'system', after: expect.objectContaining({ email: 'ada@acme.test', role: 'sales_rep', createdBy: 'sso_oidc' }) }]);

    const again = createBrowser('ada@acme.test');
    expect((await again.visit(`/api/v1/auth/sso/${slug}/oidc/start`)).pathname).toBe('/');
    const secondMe = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: again.rapportCookie() } });
    expect(secondMe.body.user.id).toBe(me.body.user.id);
    const users = await test.superuserQuery(`select id from app_user where tenant_id = $1 and email = 'ada@acme.test'`, [owner.tenantId]);
    expect(users).toHaveLength(1);
    const attempts = await test.superuserQuery(`select id from sso_login_attempt where tenant_id = $1`, [owner.tenantId]);
    expect(attempts).toHaveLength(0);
  });

  it('refuses an email domain the workspace does not allow', async () => {
    const { owner, slug } = await setUpWorkspace();
    const browser = createBrowser('eve@elsewhere.test');
    const landed = await browser.visit(`/api/v1/auth/sso/${slug}/oidc/start`);
    expect(landed.pathname + landed.search).toBe('/sign-in?error=sso.domain_not_allowed');
    expect(browser.rapportCookie()).not.toContain('rapport_session');
    expect(await test.superuserQuery(`select id from app_user where tenant_id = $1 and email = 'eve@elsewhere.test'`, [owner.tenantId])).toHaveLength(0);
  });

  it('refuses a callback whose state does not match the one this browser started with', async () => {
    const { slug } = await setUpWorkspace();
    const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${slug}/oidc/start` });
    expect(start.statusCode).toBe(302);
    const authorization = new URL(String(start.headers.location));
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    const state = authorization.searchParams.get('state')!;

    const forged = await test.request({ method: 'GET', url: `/api/v1/auth/sso/oidc/callback?code=abc&state=forged-state`, headers: { cookie: `rapport_sso_state=${state}` } });
    expect(forged.statusCode).toBe(303);
    expect(forged.headers.location).toBe('/sign-in?error=sso.state_invalid');
    // The right state from another browser (no cookie) is refused too: no login CSRF.
    const otherBrowser = await test.request({ method: 'GET', url: `/api/v1/auth/sso/oidc/callback?code=abc&state=${state}` });
    expect(otherBrowser.headers.location).toBe('/sign-in?error=sso.state_invalid');
    const unknown = await test.request({ method: 'GET', url: `/api/v1/auth/sso/oidc/callback?code=abc&state=made-up`, headers: { cookie: 'rapport_sso_state=made-up' } });
    expect(unknown.headers.location).toBe('/sign-in?error=sso.state_invalid');
  });

  it('does not start, nor finish, while the configuration is disabled', async () => {
    const { owner, slug } = await setUpWorkspace();
    const browser = createBrowser('grace@acme.test');
    const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${slug}/oidc/start` });
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;

    expect((await owner.put('/api/v1/workspace/sso/oidc', { issuerUrl: provider.issuer, clientId, allowedDomains: ['acme.test'], enabled: false })).statusCode).toBe(200);
    const landed = await browser.visit(`/api/v1/auth/sso/${slug}/oidc/start`);
    expect(landed.pathname + landed.search).toBe('/sign-in?error=sso.disabled');
    // A sign-in started before the switch cannot be finished after it.
    const late = await test.request({ method: 'GET', url: `/api/v1/auth/sso/oidc/callback?code=abc&state=${state}`, headers: { cookie: `rapport_sso_state=${state}` } });
    expect(late.headers.location).toBe('/sign-in?error=sso.disabled');

    expect((await test.request({ method: 'GET', url: '/api/v1/auth/sso/no-such-workspace/oidc/start' })).headers.location).toBe('/sign-in?error=sso.workspace_not_found');
    const unconfigured = await signUpOwner(test);
    expect((await test.request({ method: 'GET', url: `/api/v1/auth/sso/${unconfigured.slug}/oidc/start` })).headers.location).toBe('/sign-in?error=sso.not_configured');
  });
});
