// Custom fields marked sensitive are encrypted at rest: what a reader with the right role sees,
// what the table and the change log hold, what lists refuse, and how marking, unmarking, key
// rotation and CSV import keep the stored form right.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-sealed-'));

beforeAll(async () => {
  test = await startTestApp({ dataDir });
  owner = await test.signup();
  await test.rapport.jobs.start({ work: true });
  const salary = await owner.post('/api/v1/custom-fields', { object: 'contact', key: 'base_salary', label: 'Salary', type: 'money', sensitive: true });
  expect(salary.statusCode).toBe(201);
  expect((await owner.post('/api/v1/custom-fields', { object: 'contact', key: 'nickname', label: 'Nickname', type: 'text' })).statusCode).toBe(201);
});
afterAll(async () => {
  await test.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const storedCustomFields = async (table: string, id: string) =>
  (await test.superuserQuery<{ fields: Record<string, unknown> }>(`select custom_fields as fields from ${table} where id = $1`, [id]))[0].fields;

async function waitFor(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('custom fields marked sensitive', () => {
  let contactId: string;

  it('stores the value encrypted, answers it decrypted, and keeps it out of the change log in clear', async () => {
    const created = await owner.post('/api/v1/contacts', { name: 'Paid Person', customFields: { base_salary: { amount: 8_150_000, currency: 'eur' }, nickname: 'PP' } });
    expect(created.statusCode).toBe(201);
    contactId = created.body.id;
    expect(created.body.customFields).toEqual({ base_salary: { amount: 8_150_000, currency: 'EUR' }, nickname: 'PP' });
    expect((await owner.get(`/api/v1/contacts/${contactId}`)).body.customFields.base_salary).toEqual({ amount: 8_150_000, currency: 'EUR' });
    const listed = (await owner.get('/api/v1/contacts')).body.items.find((item: { id: string }) => item.id === contactId);
    expect(listed.customFields.base_salary).toEqual({ amount: 8_150_000, currency: 'EUR' });

    const stored = await storedCustomFields('contact', contactId);
    expect(stored.nickname).toBe('PP');
    expect(stored.base_salary).toEqual({ $enc: expect.stringMatching(/^enc:v1:1:/) });
    const logged = await test.superuserQuery<{ text: string }>('select coalesce(after::text, \'\') as text from change_log where tenant_id = $1 and entity_id = $2', [owner.tenantId, contactId]);
    expect(logged.map((row) => row.text).join()).not.toContain('8150000');
  });

  it('treats the same value sent again as no change, and a new value as one', async () => {
    const before = (await owner.get(`/api/v1/contacts/${contactId}`)).body;
    const same = await owner.patch(`/api/v1/contacts/${contactId}`, { customFields: { base_salary: { amount: 8_150_000, currency: 'EUR' } } });
    expect(same.body.updatedAt).toBe(before.updatedAt);
    const raised = await owner.patch(`/api/v1/contacts/${contactId}`, { customFields: { base_salary: { amount: 9_000_000, currency: 'EUR' } } });
    expect(raised.body.customFields.base_salary).toEqual({ amount: 9_000_000, currency: 'EUR' });
    expect(raised.body.updatedAt).not.toBe(before.updatedAt);
    expect((await storedCustomFields('contact', contactId)).base_salary).toEqual({ $enc: expect.stringMatching(/^enc:v1:/) });
  });

  it('exports the decrypted value to a reader allowed to see it', async () => {
    const lines = String((await owner.get('/api/v1/contacts/export?format=csv')).body).trim().split('\r\n');
    const header = lines[0].split(',');
    const row = lines.find((line) => line.startsWith('Paid Person') || line.includes(',Paid Person,'))!;
    expect(header).toContain('customFields.base_salary');
    expect(row).toContain('9000000');
  });

  it('refuses to filter, sort or segment on it, naming the parameter', async () => {
    const filtered = await owner.get('/api/v1/contacts?filter[custom.base_salary]=9000000');
    expect(filtered.statusCode).toBe(400);
    expect(filtered.body.error).toMatchObject({ code: 'custom_field.sensitive', details: [expect.objectContaining({ field: 'filter[custom.base_salary]' })] });
    const sorted = await owner.get('/api/v1/contacts?sort=custom.base_salary');
    expect(sorted.statusCode).toBe(400);
    expect(sorted.body.error).toMatchObject({ code: 'custom_field.sensitive', details: [expect.objectContaining({ field: 'sort' })] });
    const segment = await owner.post('/api/v1/segments', {
      name: 'Well paid', object: 'contact', filter: { match: 'all', groups: [{ match: 'all', conditions: [{ field: 'custom.base_salary', operator: 'gt', value: 1 }] }] },
    });
    expect(segment.statusCode).toBe(400);
    expect(segment.body.error.code).toBe('custom_field.sensitive');
  });

  it('encrypts existing values when a field is marked sensitive, and decrypts them when it is unmarked', async () => {
    const marked = await owner.patch(`/api/v1/custom-fields/${(await owner.get('/api/v1/custom-fields?object=contact')).body.items.find((field: { key: string }) => field.key === 'nickname').id}`, { sensitive: true });
    expect(marked.statusCode).toBe(200);
    expect((await storedCustomFields('contact', contactId)).nickname).toEqual({ $enc: expect.stringMatching(/^enc:v1:/) });
    expect((await owner.get(`/api/v1/contacts/${contactId}`)).body.customFields.nickname).toBe('PP');
    expect((await owner.patch(`/api/v1/custom-fields/${marked.body.id}`, { type: 'long_text' })).body.error.code).toBe('custom_field.type_change_refused');

    const unmarked = await owner.patch(`/api/v1/custom-fields/${marked.body.id}`, { sensitive: false });
    expect(unmarked.statusCode).toBe(200);
    expect((await storedCustomFields('contact', contactId)).nickname).toBe('PP');
    expect((await owner.get('/api/v1/contacts?filter[custom.nickname]=PP')).body.items.map((item: { id: string }) => item.id)).toEqual([contactId]);
  });

  it('moves sealed values to the new key version when the workspace key rotates', async () => {
    const { keyVersion } = await test.rapport.services.encryption.rotateNow(owner.tenantId);
    expect((await storedCustomFields('contact', contactId)).base_salary).toEqual({ $enc: expect.stringMatching(new RegExp(`^enc:v1:${keyVersion}:`)) });
    expect((await owner.get(`/api/v1/contacts/${contactId}`)).body.customFields.base_salary).toEqual({ amount: 9_000_000, currency: 'EUR' });
    expect((await owner.get('/api/v1/workspace/encryption')).body.availableFields).toEqual(['contact.phone']);
  });

  it('encrypts the sensitive column of a CSV import', async () => {
    const started = await owner.post('/api/v1/imports?object=contacts', 'name,base_salary\nImported Earner,120000.00 USD\n', { 'content-type': 'text/csv' });
    expect(started.statusCode, JSON.stringify(started.body)).toBe(202);
    await waitFor(async () => (await owner.get(`/api/v1/imports/${started.body.id}`)).body.status === 'completed', 'the import');
    const [imported] = (await owner.get('/api/v1/contacts?q=Imported%20Earner')).body.items;
    expect(imported.customFields.base_salary).toEqual({ amount: 12_000_000, currency: 'USD' });
    expect((await storedCustomFields('contact', imported.id)).base_salary).toEqual({ $enc: expect.stringMatching(/^enc:v1:/) });
  });

  it('seals a company field too, and keeps a deleted definition consistent', async () => {
    const field = await owner.post('/api/v1/custom-fields', { object: 'company', key: 'bank_account', label: 'Bank account', type: 'text', sensitive: true });
    const company = await owner.post('/api/v1/companies', { name: 'Sealed Ltd', customFields: { bank_account: 'DE89 3704 0044 0532 0130 00' } });
    expect(company.body.customFields.bank_account).toBe('DE89 3704 0044 0532 0130 00');
    expect(JSON.stringify(await storedCustomFields('company', company.body.id))).not.toContain('3704');
    expect((await owner.get(`/api/v1/companies/${company.body.id}`)).body.customFields.bank_account).toBe('DE89 3704 0044 0532 0130 00');
    expect((await owner.delete(`/api/v1/custom-fields/${field.body.id}`)).statusCode).toBe(204);
    expect(await storedCustomFields('company', company.body.id)).toEqual({});
  });
});
