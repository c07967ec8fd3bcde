// SAML sign-in with a test IdP: a key pair and self-signed certificate made here, responses
// built and signed with xml-crypto as an IdP would, posted to the ACS as the browser would.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../../../test/test-app.js';

const rapportOrigin = 'http://rapport.test';
const idpEntryPoint = 'https://idp.test/sso';
const idpIssuer = 'https://idp.test/metadata';
const inflateRaw = promisify(zlib.inflateRaw);

let test: TestApp;
let idpKeys: { private: string; cert: string };
let otherKeys: { private: string; cert: string };

beforeAll(async () => {
  test = await startTestApp({ publicUrl: rapportOrigin });
  idpKeys = await generate([{ name: 'commonName', value: 'idp.test' }], { keySize: 2048, algorithm: 'sha256' });
  otherKeys = await generate([{ name: 'commonName', value: 'impostor.test' }], { keySize: 2048, algorithm: 'sha256' });
});
afterAll(() => test?.close());

async function signUpOwner() {
  const email = `owner.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Acme', name: 'Olive Owner', email, password: 'correct horse battery' } });
  const cookie = [response.headers['set-cookie']].flat().map(String).find((line) => line.startsWith('rapport_session='))!.split(';')[0];
  const headers = { cookie, 'x-csrf-token': response.body.csrfToken as string };
  return {
    tenantId: response.body.tenant.id as string, slug: response.body.tenant.slug as string,
    get: (url: string): Promise<TestResponse> => test.request({ method: 'GET', url, headers }),
    put: (url: string, body: unknown): Promise<TestResponse> => test.request({ method: 'PUT', url, body, headers }),
  };
}

async function setUpWorkspace(settings: Record<string, unknown> = {}) {
  const owner = await signUpOwner();
  const saved = await owner.put('/api/v1/workspace/sso/saml', { entryPoint: idpEntryPoint, idpCertificate: idpKeys.cert, allowedDomains: ['acme.test'], enabled: true, ...settings });
  expect(saved.statusCode).toBe(200);
  return { owner, settings: saved.body as { spEntityId: string; acsUrl: string } };
}

/** Starts a sign-in as the browser would and reads the AuthnRequest's id from the redirect. */
async function startSignIn(slug: string): Promise<string> {
  const response = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${slug}/saml/start` });
  expect(response.statusCode).toBe(302);
  const location = new URL(String(response.headers.location));
  expect(location.origin + location.pathname).toBe(idpEntryPoint);
  const xml = (await inflateRaw(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64'))).toString('utf8');
  return /ID="([^"]+)"/.exec(xml)![1];
}

interface AssertionOptions {
  requestId: string;
  audience: string;
  acsUrl: string;
  email?: string;
  notOnOrAfter?: Date;
  keys?: { private: string; cert: string };
}

/** A SAML Response whose assertion is signed (enveloped, exclusive c14n, RSA-SHA256). */
function signedResponse(options: AssertionOptions): string {
  const now = new Date();
  const notBefore = new Date(now.getTime() - 60_000).toISOString();
  const notOnOrAfter = (options.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
  const email = options.email ?? 'grace@acme.test';
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${crypto.randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}">`
    + `<saml:Issuer>${idpIssuer}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${options.requestId}" NotOnOrAfter="${notOnOrAfter}" Recipient="${options.acsUrl}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${options.audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>Grace Hopper</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
    + `</saml:Assertion>`;
  const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${crypto.randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${options.acsUrl}" InResponseTo="${options.requestId}">`
    + `<saml:Issuer>${idpIssuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + assertion + `</samlp:Response>`;
  const keys = options.keys ?? idpKeys;
  const signature = new SignedXml({
    privateKey: keys.private, publicCert: keys.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signature.addReference({
    xpath: "//*[local-name(.)='Assertion']", digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signature.computeSignature(response, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return signature.getSignedXml();
}

function postToAcs(slug: string, xml: string) {
  const form = new URLSearchParams({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: '' });
  return test.request({ method: 'POST', url: `/api/v1/auth/sso/${slug}/saml/acs`, body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const sessionCookieOf = (response: TestResponse) =>
  [response.headers['set-cookie']].flat().map(String).find((line) => line.startsWith('rapport_session='))?.split(';')[0];

describe('SAML settings and metadata', () => {
  it('validate the certificate, default the entity id and publish SP metadata', async () => {
    const owner = await signUpOwner();
    const metadataUrl = `${rapportOrigin}/api/v1/auth/sso/${owner.slug}/saml/metadata`;
    const empty = await owner.get('/api/v1/workspace/sso/saml');
    expect(empty.body).toMatchObject({ enabled: false, spEntityId: metadataUrl, acsUrl: `${rapportOrigin}/api/v1/auth/sso/${owner.slug}/saml/acs`, metadataUrl });

    const notACertificate = await owner.put('/api/v1/workspace/sso/saml', { entryPoint: idpEntryPoint, idpCertificate: 'hello', allowedDomains: ['acme.test'], enabled: true });
    expect(notACertificate.statusCode).toBe(400);
    expect(notACertificate.body.error).toMatchObject({ code: 'sso.certificate_invalid', details: [{ field: 'idpCertificate' }] });

    const saved = await owner.put('/api/v1/workspace/sso/saml', { entryPoint: idpEntryPoint, idpCertificate: idpKeys.cert, allowedDomains: ['acme.test'], defaultRole: 'support_agent', enabled: true });
    expect(saved.body).toMatchObject({ spEntityId: metadataUrl, defaultRole: 'support_agent', enabled: true });

    const metadata = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${owner.slug}/saml/metadata` });
    expect(metadata.statusCode).toBe(200);
    expect(String(metadata.headers['content-type'])).toContain('application/samlmetadata+xml');
    expect(metadata.body).toContain(`entityID="${metadataUrl}"`);
    expect(metadata.body).toContain(`Location="${rapportOrigin}/api/v1/auth/sso/${owner.slug}/saml/acs"`);
  });
});

describe('SAML sign-in', () => {
  it('signs in a user created just in time from a signed assertion, once per request', async () => {
    const { owner, settings } = await setUpWorkspace();
    const requestId = await startSignIn(owner.slug);
    const xml = signedResponse({ requestId, audience: settings.spEntityId, acsUrl: settings.acsUrl });
    const response = await postToAcs(owner.slug, xml);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const me = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: sessionCookieOf(response)! } });
    expect(me.body.user).toMatchObject({ email: 'grace@acme.test', name: 'Grace Hopper', role: 'sales_rep' });
    expect(me.body.tenant.id).toBe(owner.tenantId);
    const logged = await test.superuserQuery(`select actor_type from change_log where tenant_id = $1 and entity = 'user' and entity_id = $2 and operation = 'create'`, [owner.tenantId, me.body.user.id]);
    expect(logged).toEqual([{ actor_type: 'system' }]);

    // The same response posted again (a replay) answers a request that is already used up.
    const replay = await postToAcs(owner.slug, xml);
    expect(replay.headers.location).toBe('/sign-in?error=sso.saml_request_unknown');
    expect(sessionCookieOf(replay)).toBeUndefined();

    const second = await postToAcs(owner.slug, signedResponse({ requestId: await startSignIn(owner.slug), audience: settings.spEntityId, acsUrl: settings.acsUrl }));
    const secondMe = await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: sessionCookieOf(second)! } });
    expect(secondMe.body.user.id).toBe(me.body.user.id);
  });

  it('refuses a tampered assertion and one signed by another key', async () => {
    const { owner, settings } = await setUpWorkspace();
    const requestId = await startSignIn(owner.slug);
    const tampered = signedResponse({ requestId, audience: settings.spEntityId, acsUrl: settings.acsUrl }).replace('grace@acme.test', 'mallory@acme.test');
    const response = await postToAcs(owner.slug, tampered);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?error=sso.saml_signature_invalid');
    expect(sessionCookieOf(response)).toBeUndefined();

    const impostor = signedResponse({ requestId: await startSignIn(owner.slug), audience: settings.spEntityId, acsUrl: settings.acsUrl, keys: otherKeys });
    expect((await postToAcs(owner.slug, impostor)).headers.location).toBe('/sign-in?error=sso.saml_signature_invalid');
    expect(await test.superuserQuery(`select id from app_user where tenant_id = $1 and email = 'mallory@acme.test'`, [owner.tenantId])).toHaveLength(0);
  });

  it('refuses an assertion for another audience, an expired one, and one no request asked for', async () => {
    const { owner, settings } = await setUpWorkspace();
    const wrongAudience = signedResponse({ requestId: await startSignIn(owner.slug), audience: 'https://someone-else.example/sp', acsUrl: settings.acsUrl });
    expect((await postToAcs(owner.slug, wrongAudience)).headers.location).toBe('/sign-in?error=sso.saml_audience_invalid');

    const expired = signedResponse({ requestId: await startSignIn(owner.slug), audience: settings.spEntityId, acsUrl: settings.acsUrl, notOnOrAfter: new Date(Date.now() - 3_600_000) });
    expect((await postToAcs(owner.slug, expired)).headers.location).toBe('/sign-in?error=sso.saml_expired');

    const unsolicited = signedResponse({ requestId: '_never-requested', audience: settings.spEntityId, acsUrl: settings.acsUrl });
    expect((await postToAcs(owner.slug, unsolicited)).headers.location).toBe('/sign-in?error=sso.saml_request_unknown');
  });

  it('refuses a disallowed domain, a disabled configuration and a malformed post', async () => {
    const { owner, settings } = await setUpWorkspace();
    const outsider = signedResponse({ requestId: await startSignIn(owner.slug), audience: settings.spEntityId, acsUrl: settings.acsUrl, email: 'eve@elsewhere.test' });
    expect((await postToAcs(owner.slug, outsider)).headers.location).toBe('/sign-in?error=sso.domain_not_allowed');

    const requestId = await startSignIn(owner.slug);
    await owner.put('/api/v1/workspace/sso/saml', { entryPoint: idpEntryPoint, idpCertificate: idpKeys.cert, allowedDomains: ['acme.test'], enabled: false });
    expect((await test.request({ method: 'GET', url: `/api/v1/auth/sso/${owner.slug}/saml/start` })).headers.location).toBe('/sign-in?error=sso.disabled');
    const late = await postToAcs(owner.slug, signedResponse({ requestId, audience: settings.spEntityId, acsUrl: settings.acsUrl }));
    expect(late.headers.location).toBe('/sign-in?error=sso.disabled');

    const malformed = await test.request({ method: 'POST', url: `/api/v1/auth/sso/${owner.slug}/saml/acs`, body: 'nothing=here', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(malformed.headers.location).toBe('/sign-in?error=sso.invalid_request');
  });
});
