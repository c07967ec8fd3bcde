import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';
import { verifyChain } from '../../platform/change-log.js';

let test: TestApp;
let client: TestClient;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-import-'));

beforeAll(async () => {
  test = await startTestApp({ dataDir });
  client = await test.signup();
  await test.rapport.jobs.start({ work: true });
});
afterAll(async () => {
  await test.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const csv = { 'content-type': 'text/csv' };

async function upload(who: TestClient, body: string | Buffer, query: string) {
  return who.post(`/api/v1/imports?${query}`, body as string, csv);
}

async function finished(who: TestClient, id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await who.get(`/api/v1/imports/${id}`);
    if (!['queued', 'running', 'undoing'].includes(response.body.status) || Date.now() > deadline) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** A signed-up client that also knows its cookie, to send raw bytes (the test client sends strings as UTF-8). */
async function signupWithCookie(): Promise<TestClient & { cookie: string }> {
  const email = `bytes.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`;
  const response = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Bytes', name: 'Byte Owner', email, password: 'correct horse battery' } });
  const cookie = `rapport_session=${response.cookies.find((candidate) => candidate.name === 'rapport_session')!.value}`;
  const base = test.clientWith({ cookie, 'x-csrf-token': response.body.csrfToken });
  return { ...base, cookie, tenantId: response.body.tenant.id, userId: response.body.user.id, csrfToken: response.body.csrfToken };
}

const uploadBytes = (who: TestClient & { cookie: string }, body: Buffer, query: string) => test.rapport.app.inject({
  method: 'POST', url: `/api/v1/imports?${query}`, payload: body, headers: { ...csv, cookie: who.cookie, 'x-csrf-token': who.csrfToken },
});

const countContacts = async (tenantId: string) =>
  (await test.superuserQuery('select count(*)::int as count from contact where tenant_id = $1', [tenantId]))[0].count as number;

describe('importing contacts from a CSV file', () => {
  it('suggests a mapping from English and Chinese headers, with a BOM and semicolons', async () => {
    const preview = await client.post('/api/v1/imports/preview?object=contacts', '\uFEFF姓名;邮箱;电话;公司\n张伟;zhang@example.cn;+86 138 1234 5678;\n', csv);
    expect(preview.statusCode).toBe(200);
    expect(preview.body.delimiter).toBe(';');
    expect(preview.body.headers).toEqual(['姓名', '邮箱', '电话', '公司']);
    expect(preview.body.suggestedMapping).toEqual({ 姓名: 'name', 邮箱: 'email', 电话: 'phone', 公司: 'companyName' });
    expect(preview.body.rows).toEqual([['张伟', 'zhang@example.cn', '+86 138 1234 5678', '']]);
  });

  it('imports good rows, rejects a bad one with its row number and reason, and accounts for every row', async () => {
    const owner = await test.signup();
    const file = 'Name,E-mail,Phone\nAda Lovelace,ada@example.com,+44 20 7946 0958\nBad Phone,bad@example.com,call me\nAda Again,ADA@example.com,\n"Quoted, Name",q@example.com,\nRagged,only-two@example.com\n';
    const started = await upload(owner, file, 'object=contacts');
    expect(started.statusCode).toBe(202);
    const done = await finished(owner, started.body.id);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ rowsRead: 5, rowsTotal: 5, created: 2, updated: 0, skipped: 1, rejected: 2 });
    const { created, updated, skipped, rejected } = done.progress;
    expect(created + updated + skipped + rejected).toBe(5);
    expect(await countContacts(owner.tenantId)).toBe(2);

    const errors = await owner.get(`/api/v1/imports/${started.body.id}/errors`);
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('text/csv');
    const lines = String(errors.body).trim().split('\r\n');
    expect(lines[0]).toBe('row,code,field,message,Name,E-mail,Phone');
    expect(lines[1]).toMatch(/^3,contact\.phone_invalid,phone,.*,Bad Phone,bad@example\.com,call me$/);
    expect(lines[2]).toMatch(/^6,import\.ragged_row,,.*,Ragged,only-two@example\.com$/);

    const list = await owner.get('/api/v1/contacts?q=ada');
    expect(list.body.items.map((item: { phone: string }) => item.phone)).toEqual(['+442079460958']);
    expect(list.body.items[0].ownerId).toBe(owner.userId);
    const chain = await test.database.forTenant(owner.tenantId, (trx) => verifyChain(trx));
    expect(chain.firstBrokenSeq).toBeNull();
    const logged = await test.superuserQuery(`select count(*)::int as count from change_log where tenant_id = $1 and entity = 'contact' and operation = 'create'`, [owner.tenantId]);
    expect(logged[0].count).toBe(2);
  });

  it('counts a dry run without writing anything', async () => {
    const owner = await test.signup();
    await owner.post('/api/v1/contacts', { name: 'Existing', email: 'existing@example.com' });
    const before = await test.superuserQuery('select count(*)::int as count from change_log where tenant_id = $1', [owner.tenantId]);
    const file = 'name,email\nNew One,new@example.com\nExisting Again,existing@example.com\nNew One Twice,NEW@example.com\n,nameless@example.com\n';
    const done = await finished(owner, (await upload(owner, file, 'object=contacts&mode=upsert_email&dryRun=true')).body.id);
    expect(done.progress).toMatchObject({ created: 1, updated: 2, skipped: 0, rejected: 1 });
    expect(await countContacts(owner.tenantId)).toBe(1);
    const after = await test.superuserQuery('select count(*)::int as count from change_log where tenant_id = $1', [owner.tenantId]);
    expect(after[0].count).toBe(before[0].count);
  });

  it('upserts by email: updates the existing contact, keeps what a blank cell does not say', async () => {
    const owner = await test.signup();
    const existing = await owner.post('/api/v1/contacts', { name: 'Grace', email: 'grace@example.com', title: 'Admiral' });
    const file = 'name,email,title\nGrace Hopper,grace@example.com,\nLin,lin@example.com,CTO\n';
    const done = await finished(owner, (await upload(owner, file, 'object=contacts&mode=upsert_email')).body.id);
    expect(done.progress).toMatchObject({ created: 1, updated: 1, skipped: 0, rejected: 0 });
    const grace = await owner.get(`/api/v1/contacts/${existing.body.id}`);
    expect(grace.body).toMatchObject({ name: 'Grace Hopper', title: 'Admiral' });
  });

  it('undoes an import: deletes its creates, restores its updates, reports records changed since', async () => {
    const owner = await test.signup();
    const grace = await owner.post('/api/v1/contacts', { name: 'Grace', email: 'grace@example.com' });
    const file = 'name,email\nGrace Hopper,grace@example.com\nLin,lin@example.com\nMo,mo@example.com\n';
    const imported = await finished(owner, (await upload(owner, file, 'object=contacts&mode=upsert_email')).body.id);
    const mo = (await owner.get('/api/v1/contacts?filter[email]=mo@example.com')).body.items[0];
    await owner.patch(`/api/v1/contacts/${mo.id}`, { title: 'Changed later' });
    const undo = await owner.post(`/api/v1/imports/${imported.id}/undo`, {});
    expect(undo.statusCode).toBe(202);
    const undone = await finished(owner, imported.id);
    expect(undone.status).toBe('undone');
    expect(undone.undo).toMatchObject({ deleted: 1, restored: 1, conflictCount: 1, conflicts: [{ recordId: mo.id, reason: 'changed_since_import' }] });
    expect((await owner.get(`/api/v1/contacts/${grace.body.id}`)).body.name).toBe('Grace');
    const emails = (await owner.get('/api/v1/contacts')).body.items.map((item: { email: string }) => item.email).sort();
    expect(emails).toEqual(['grace@example.com', 'mo@example.com']);
    expect((await test.database.forTenant(owner.tenantId, (trx) => verifyChain(trx))).firstBrokenSeq).toBeNull();
  });
});

describe('bad files and bad mappings', () => {
  it('names an unknown mapped field, a missing column, an empty file and a header without rows (400)', async () => {
    const unknown = await upload(client, 'name,email\nA,a@x.io\n', `object=contacts&mapping=${encodeURIComponent(JSON.stringify({ name: 'name', email: 'shoeSize' }))}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error.code).toBe('import.unknown_field');
    expect(unknown.body.error.details[0].field).toBe('mapping.email');
    expect(unknown.body.error.message).toContain('shoeSize');
    const missing = await upload(client, 'name\nA\n', `object=contacts&mapping=${encodeURIComponent(JSON.stringify({ Naam: 'name' }))}`);
    expect(missing.body.error.code).toBe('import.unknown_column');
    expect((await upload(client, '', 'object=contacts')).body.error.code).toBe('import.empty_file');
    expect((await upload(client, 'name,email\n', 'object=contacts')).body.error.code).toBe('import.no_rows');
  });

  it('refuses a file that is not UTF-8 with a clear message and writes nothing; reads it when the encoding is named', async () => {
    const owner = await signupWithCookie();
    const gb = iconv.encode('姓名,邮箱\n王芳,wang@example.cn\n李娜,li@example.cn\n', 'gb18030');
    const refused = await uploadBytes(owner, gb, 'object=contacts');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('import.invalid_encoding');
    expect(refused.json().error.message).toContain('gb18030');
    // Bad bytes far into the file pass the upload's check of the head: the job refuses the file before writing.
    const rows = Array.from({ length: 3000 }, (_, index) => `Person ${index},p${index}@example.com`).join('\n');
    const late = Buffer.concat([Buffer.from(`name,email\n${rows}\n`), iconv.encode('王芳,wang@example.cn\n', 'gb18030')]);
    const failed = await finished(owner, (await uploadBytes(owner, late, 'object=contacts')).json().id);
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('import.invalid_encoding');
    expect(await countContacts(owner.tenantId)).toBe(0);
    const accepted = await uploadBytes(owner, gb, 'object=contacts&encoding=gb18030');
    const done = await finished(owner, accepted.json().id);
    expect(done.progress).toMatchObject({ created: 2, rejected: 0 });
    expect((await owner.get(`/api/v1/contacts?q=${encodeURIComponent('王芳')}`)).body.items[0].email).toBe('wang@example.cn');
  });

  it('refuses an import for a role without the import permission, and to anyone signed out', async () => {
    const response = await test.request({ method: 'POST', url: '/api/v1/imports?object=contacts', body: 'name\nA\n', headers: csv });
    expect(response.statusCode).toBe(401);
    const email = `rep.${Date.now()}@example.com`;
    expect((await client.post('/api/v1/users', { name: 'Rep', email, password: 'correct horse battery', role: 'sales_rep' })).statusCode).toBe(201);
    const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
    const rep = test.clientWith({ cookie: `rapport_session=${login.cookies.find((cookie) => cookie.name === 'rapport_session')!.value}`, 'x-csrf-token': login.body.csrfToken });
    const refused = await rep.post('/api/v1/imports?object=contacts', 'name\nA\n', csv);
    expect(refused.statusCode).toBe(403);
    expect(refused.body.error.code).toBe('permission.denied');
  });
});

describe('importing companies', () => {
  it('upserts by external id and links contacts to companies by name', async () => {
    const owner = await test.signup();
    const first = await finished(owner, (await upload(owner, 'Ref,Company name,Website\nC-1,Acme,acme.com\nC-2,Globex,https://www.globex.example\n', 'object=companies&mode=upsert_external_id&mapping=' + encodeURIComponent(JSON.stringify({ Ref: 'externalId', 'Company name': 'name', Website: 'website' })))).body.id);
    expect(first.progress).toMatchObject({ created: 2, updated: 0 });
    const second = await finished(owner, (await upload(owner, 'Ref,Company name,Industry\nC-1,Acme Corp,Tools\nC-3,Initech,\n', 'object=companies&mode=upsert_external_id&mapping=' + encodeURIComponent(JSON.stringify({ Ref: 'externalId', 'Company name': 'name', Industry: 'industry' })))).body.id);
    expect(second.progress).toMatchObject({ created: 1, updated: 1, skipped: 0, rejected: 0 });
    const companies = (await owner.get('/api/v1/companies?sort=name')).body.items;
    expect(companies.map((company: { name: string }) => company.name)).toEqual(['Acme Corp', 'Globex', 'Initech']);
    expect(companies[0]).toMatchObject({ domain: 'acme.com', industry: 'Tools' });
    expect(companies[1].domain).toBe('globex.example');

    const contacts = await finished(owner, (await upload(owner, '姓名,邮箱,公司\n王芳,wang@example.cn,acme corp\n李娜,li@example.cn,Nowhere Ltd\n', 'object=contacts')).body.id);
    expect(contacts.progress).toMatchObject({ created: 1, rejected: 1 });
    const wang = (await owner.get('/api/v1/contacts?filter[email]=wang@example.cn')).body.items[0];
    expect(wang.companyName).toBe('Acme Corp');
    const errors = String((await owner.get(`/api/v1/imports/${contacts.id}/errors`)).body);
    expect(errors).toContain('import.company_not_found,companyName');
  });
});

describe('custom fields in imports and exports', () => {
  it('maps a column to a custom field, checks it with the field type, and exports one column per field', async () => {
    const owner = await test.signup();
    expect((await owner.post('/api/v1/custom-fields', { object: 'contact', key: 'vip_level', label: 'VIP level', type: 'number' })).statusCode).toBe(201);
    expect((await owner.post('/api/v1/custom-fields', { object: 'contact', key: 'interests', label: 'Interests', type: 'multi_select', options: ['golf', 'tea'] })).statusCode).toBe(201);
    const preview = await owner.post('/api/v1/imports/preview?object=contacts', 'name,vip_level,interests\nAda,3,golf; tea\n', csv);
    expect(preview.body.suggestedMapping).toEqual({ name: 'name', vip_level: 'customFields.vip_level', interests: 'customFields.interests' });
    const done = await finished(owner, (await upload(owner, 'name,vip_level,interests\nAda,3,golf; tea\nBob,lots,\nCy,,chess\n', 'object=contacts')).body.id);
    expect(done.progress).toMatchObject({ created: 1, rejected: 2 });
    const ada = (await owner.get('/api/v1/contacts?q=Ada')).body.items[0];
    expect(ada.customFields).toEqual({ vip_level: 3, interests: ['golf', 'tea'] });
    const errors = String((await owner.get(`/api/v1/imports/${done.id}/errors`)).body);
    expect(errors).toContain('custom_field.invalid,customFields.vip_level');
    expect(errors).toContain('custom_field.invalid,customFields.interests');
    const unknown = await upload(owner, 'name,shoe\nAda,42\n', `object=contacts&mapping=${encodeURIComponent(JSON.stringify({ name: 'name', shoe: 'customFields.shoe_size' }))}`);
    expect(unknown.body.error).toMatchObject({ code: 'import.unknown_field', details: [{ field: 'mapping.shoe' }] });
    const exported = String((await owner.get('/api/v1/contacts/export?format=csv')).body).trim().split('\r\n');
    expect(exported[0]).toMatch(/,customFields\.interests,customFields\.vip_level$/);
    expect(exported[1]).toMatch(/,golf; tea,3$/);
  });
});
