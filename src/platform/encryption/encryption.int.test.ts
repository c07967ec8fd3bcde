import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';
import { createFieldEncryption } from './encryption.service.js';
import { FieldDecryptionError } from './field-cipher.js';
import { createLocalKeyWrapper, loadMasterKey, type KeyWrapper } from './key-wrapper.js';

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp();
  await test.rapport.jobs.start({ work: true });
});
afterAll(() => test.close());

/** A user of the workspace with the given role, and the headers that act as them. */
async function addUser(owner: TestClient, role: string) {
  const email = `${role}.${randomUUID().slice(0, 8)}@example.com`;
  expect((await owner.post('/api/v1/users', { name: `A ${role}`, email, password: 'correct horse battery', role })).statusCode).toBe(201);
  return signIn(email);
}

async function signIn(email: string) {
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  const headers = { cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken };
  return { ...test.clientWith(headers), headers };
}

async function storedPhones(tenantId: string) {
  return test.superuserQuery<{ id: string; phone: string; phone_index: Buffer | null }>(
    'select id, phone, phone_index from contact where tenant_id = $1 and phone is not null order by id', [tenantId]);
}

async function waitFor(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const names = async (client: TestClient, query: string) =>
  (await client.get(`/api/v1/contacts?q=${encodeURIComponent(query)}`)).body.items.map((item: { name: string }) => item.name).sort();

describe('field encryption of contact phones', () => {
  let alice: TestClient;
  let adaId: string;
  beforeAll(async () => {
    alice = await test.signup('Encrypted Ltd');
    adaId = (await alice.post('/api/v1/contacts', { name: 'Ada Lovelace', phone: '+44 20 7946 0958' })).body.id;
    await alice.post('/api/v1/contacts', { name: 'Alan Turing', phone: '+44 20 7946 0111' });
  });

  it('stores the phone as ciphertext with a blind index, and answers with the plaintext', async () => {
    const [row] = (await storedPhones(alice.tenantId)).filter((candidate) => candidate.id === adaId);
    expect(row.phone).toMatch(/^enc:v1:1:/);
    expect(row.phone).not.toContain('79460958');
    expect(row.phone_index).toHaveLength(32);
    expect((await alice.get(`/api/v1/contacts/${adaId}`)).body.phone).toBe('+442079460958');
    expect((await alice.get('/api/v1/contacts')).body.items.map((item: { phone: string }) => item.phone).sort()).toEqual(['+442079460111', '+442079460958']);
  });

  it('finds a contact by its full phone in any format, and no longer by a part of it', async () => {
    expect(await names(alice, '+44 20 7946 0958')).toEqual(['Ada Lovelace']);
    expect(await names(alice, '020 7946 0958')).toEqual(['Ada Lovelace']);
    expect(await names(alice, '0044 20 7946 0958')).toEqual(['Ada Lovelace']);
    expect(await names(alice, '7946')).toEqual([]);
    expect((await alice.get('/api/v1/contacts/count?q=%2B442079460958')).body).toEqual({ count: 1, capped: false });
  });

  it('unwraps a key once when a page of phones is decrypted at once on a cold cache', async () => {
    const wrapper = createLocalKeyWrapper(loadMasterKey(test.config));
    let unwraps = 0;
    const counting: KeyWrapper = { ...wrapper, unwrap: (wrapped, context) => { unwraps++; return wrapper.unwrap(wrapped, context); } };
    const cold = createFieldEncryption({ database: test.database, keyWrapper: counting, jobs: { send: async () => 'unused' } });
    const stored = (await storedPhones(alice.tenantId)).map((row) => row.phone);
    const page = Array.from({ length: 25 }, () => stored).flat();
    const phones = await test.database.readTenant(alice.tenantId, (trx) => Promise.all(page.map((phone) => cold.decrypt(trx, alice.tenantId, 'contact.phone', phone))));
    expect(new Set(phones)).toEqual(new Set(['+442079460111', '+442079460958']));
    expect(unwraps).toBe(1);
  });

  it('keeps the plaintext phone out of the change log, old and new values alike', async () => {
    expect((await alice.patch(`/api/v1/contacts/${adaId}`, { phone: '+44 20 7946 0959' })).body.phone).toBe('+442079460959');
    const rows = await test.superuserQuery<{ text: string }>('select coalesce(before::text, \'\') || coalesce(after::text, \'\') as text from change_log where tenant_id = $1', [alice.tenantId]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.text).not.toMatch(/7946 ?01|79460958|79460959/);
    const history = await alice.get(`/api/v1/audit?entity=contact&id=${adaId}`);
    expect(history.statusCode).toBe(200);
    expect(history.body.items[0].changes.phone.after).toMatch(/^enc:v1:/);
    expect(JSON.stringify(history.body)).not.toContain('79460959');
    await alice.patch(`/api/v1/contacts/${adaId}`, { phone: '+44 20 7946 0958' });
  });

  it('rotates the key: every row, legacy plaintext too, moves to the new version and still reads', async () => {
    // A row written in clear (by a bulk load, or before encryption): read as is, encrypted by the job.
    await test.superuserQuery('insert into contact (tenant_id, id, name, phone) values ($1, $2, $3, $4)',
      [alice.tenantId, randomUUID(), 'Legacy Lee', '+14155550123']);
    expect(await names(alice, '+1 415 555 0123')).toEqual(['Legacy Lee']);
    const rotation = await alice.post('/api/v1/workspace/encryption/rotate');
    expect(rotation.statusCode).toBe(202);
    expect(rotation.body).toMatchObject({ keyVersion: 2, jobId: expect.any(String) });
    await waitFor(async () => (await test.superuserQuery(
      'select count(*)::int as count from tenant_data_key where tenant_id = $1 and version = 1 and retired_at is not null', [alice.tenantId]))[0].count === 1, 'key 1 retired');
    const rows = await storedPhones(alice.tenantId);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.phone).toMatch(/^enc:v1:2:/);
    expect((await alice.get('/api/v1/contacts')).body.items.map((item: { phone: string }) => item.phone).sort())
      .toEqual(['+14155550123', '+442079460111', '+442079460958']);
    expect(await names(alice, '+1 415 555 0123')).toEqual(['Legacy Lee']);
    expect(await names(alice, '020 7946 0958')).toEqual(['Ada Lovelace']);
    const settings = await alice.get('/api/v1/workspace/encryption');
    expect(settings.body.keys.map((key: { version: number; retiredAt: string | null }) => [key.version, key.retiredAt === null]))
      .toEqual([[1, false], [2, true]]);
  });
});

describe('data keys', () => {
  const coldService = (keyWrapper: KeyWrapper = createLocalKeyWrapper(loadMasterKey(test.config))) =>
    createFieldEncryption({ database: test.database, keyWrapper, jobs: { send: async () => 'unused' } });

  it('forgets a first key whose write rolled back: the next write uses the key the database keeps', async () => {
    const owner = await test.signup('First Key Ltd');
    const keys = () => test.superuserQuery<{ count: number }>('select count(*)::int as count from tenant_data_key where tenant_id = $1', [owner.tenantId]);
    expect((await keys())[0].count).toBe(0);
    const { encryption } = test.rapport.services;
    // A write that made the workspace's first key and read a phone back under it, then failed.
    await expect(test.database.forTenant(owner.tenantId, async (trx) => {
      const cipher = await encryption.cipherFor(trx, owner.tenantId, { forWriting: true });
      const sealed = cipher.seal('contact.phone', '+442079460000');
      expect(await cipher.open('contact.phone', sealed.value)).toBe('+442079460000');
      throw new Error('the write failed');
    })).rejects.toThrow('the write failed');
    expect((await keys())[0].count).toBe(0);

    const created = await owner.post('/api/v1/contacts', { name: 'Grace Hopper', phone: '+44 20 7946 0001' });
    expect(created.statusCode).toBe(201);
    expect(created.body.phone).toBe('+442079460001');
    // Another process, or this one once its cache has expired, reads it with the stored key.
    const [row] = await storedPhones(owner.tenantId);
    const cold = coldService();
    expect(await test.database.readTenant(owner.tenantId, (trx) => cold.decrypt(trx, owner.tenantId, 'contact.phone', row.phone))).toBe('+442079460001');
  });

  it('answers the requests that waited on a key lookup which then failed for the request that made it', async () => {
    const owner = await test.signup('Flaky Keys Ltd');
    await owner.post('/api/v1/contacts', { name: 'Ada Lovelace', phone: '+44 20 7946 0958' });
    const [{ phone }] = await storedPhones(owner.tenantId);
    const wrapper = createLocalKeyWrapper(loadMasterKey(test.config));
    let unwraps = 0;
    // The first unwrap fails, as a KMS call that timed out would.
    const flaky: KeyWrapper = { ...wrapper, unwrap: async (wrapped, context) => {
      if (unwraps++ === 0) throw new Error('key service timed out');
      return wrapper.unwrap(wrapped, context);
    } };
    const cold = coldService(flaky);
    const [first, ...waiting] = await test.database.readTenant(owner.tenantId, (trx) =>
      Promise.allSettled(Array.from({ length: 5 }, () => cold.decrypt(trx, owner.tenantId, 'contact.phone', phone))));
    expect(first.status).toBe('rejected');
    expect(waiting.map((result) => result.status === 'fulfilled' ? result.value : result.reason.message)).toEqual(Array(4).fill('+442079460958'));
  });
});

describe('encryption settings', () => {
  it('decrypts and re-encrypts existing phones when an administrator turns encryption off and on', async () => {
    const owner = await test.signup('Toggle Co');
    await owner.post('/api/v1/contacts', { name: 'Grace Hopper', phone: '+1 212 555 0199' });
    expect((await owner.get('/api/v1/workspace/encryption')).body).toMatchObject({ fields: ['contact.phone'], availableFields: ['contact.phone'] });

    const off = await owner.put('/api/v1/workspace/encryption', { fields: [] });
    expect(off.statusCode).toBe(200);
    expect(off.body).toMatchObject({ fields: [], jobId: expect.any(String) });
    await waitFor(async () => (await storedPhones(owner.tenantId))[0].phone === '+12125550199', 'phones decrypted');
    expect((await storedPhones(owner.tenantId))[0].phone_index).toBeNull();
    expect(await names(owner, '555 01')).toEqual(['Grace Hopper']);

    expect((await owner.put('/api/v1/workspace/encryption', { fields: ['contact.phone'] })).body.fields).toEqual(['contact.phone']);
    await waitFor(async () => (await storedPhones(owner.tenantId))[0].phone.startsWith('enc:v1:'), 'phones encrypted');
    expect(await names(owner, '+1 212 555 0199')).toEqual(['Grace Hopper']);
    expect((await owner.put('/api/v1/workspace/encryption', { fields: ['contact.phone'] })).body.jobId).toBeNull();
  });

  it('refuses unknown fields, and non-administrators', async () => {
    const owner = await test.signup('Strict Co');
    const unknown = await owner.put('/api/v1/workspace/encryption', { fields: ['contact.shoe_size'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error.code).toBe('encryption.unknown_field');
    const member = await addUser(owner, 'sales_rep');
    expect((await member.get('/api/v1/workspace/encryption')).statusCode).toBe(403);
    expect((await member.put('/api/v1/workspace/encryption', { fields: [] })).statusCode).toBe(403);
    expect((await member.post('/api/v1/workspace/encryption/rotate')).statusCode).toBe(403);
  });
});

describe('workspace deletion', () => {
  it('deletes the workspace with its keys, so a ciphertext kept from before can never be read again', async () => {
    const email = `owner.${randomUUID().slice(0, 8)}@example.com`;
    const signup = await test.request<any>({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Doomed Ltd', name: 'Olive Owner', email, password: 'correct horse battery' } });
    const tenantId: string = signup.body.tenant.id;
    const owner = await signIn(email);
    const created = await owner.post('/api/v1/contacts', { name: 'Kept Secret', phone: '+44 20 7946 0958' });
    const [{ phone: savedCiphertext }] = await storedPhones(tenantId);
    const [{ slug }] = await test.superuserQuery<{ slug: string }>('select slug from tenant where id = $1', [tenantId]);
    const { encryption } = test.rapport.services;
    expect(await test.database.readTenant(tenantId, (trx) => encryption.decrypt(trx, tenantId, 'contact.phone', savedCiphertext))).toBe('+442079460958');

    const admin = await addUser(owner as unknown as TestClient, 'admin');
    const asAdmin = await test.request({ method: 'DELETE', url: '/api/v1/workspace', body: { confirm: slug }, headers: admin.headers });
    expect(asAdmin.statusCode).toBe(403);
    const mistyped = await test.request({ method: 'DELETE', url: '/api/v1/workspace', body: { confirm: 'something-else' }, headers: owner.headers });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.body.error.code).toBe('workspace.confirmation_mismatch');
    expect((await owner.get(`/api/v1/contacts/${created.body.id}`)).statusCode).toBe(200);

    const deleted = await test.request({ method: 'DELETE', url: '/api/v1/workspace', body: { confirm: slug }, headers: owner.headers });
    expect(deleted.statusCode).toBe(204);
    for (const table of ['tenant_data_key', 'contact', 'change_log', 'app_user']) {
      expect((await test.superuserQuery(`select count(*)::int as count from ${table} where tenant_id = $1`, [tenantId]))[0].count, table).toBe(0);
    }
    await expect(test.database.readTenant(tenantId, (trx) => encryption.decrypt(trx, tenantId, 'contact.phone', savedCiphertext)))
      .rejects.toThrow(FieldDecryptionError);
    expect((await owner.get('/api/v1/contacts')).statusCode).toBe(401);
  });
});
