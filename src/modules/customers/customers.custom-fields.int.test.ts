import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
let companyId: string;

async function addUser(role: string) {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  expect((await owner.post('/api/v1/users', { name: `A ${role}`, email, password: 'correct horse battery', role })).statusCode).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  return test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken });
}

const define = (body: Record<string, unknown>) => owner.post('/api/v1/custom-fields', { object: 'contact', ...body });

beforeAll(async () => {
  test = await startTestApp();
  owner = await test.signup();
  companyId = (await owner.post('/api/v1/companies', { name: 'Referenced Ltd' })).body.id;
  const definitions = [
    { key: 'nickname', label: 'Nickname', type: 'text' },
    { key: 'bio', label: 'Biography', type: 'long_text' },
    { key: 'score', label: 'Score', type: 'number' },
    { key: 'budget', label: 'Budget', type: 'money' },
    { key: 'birthday', label: 'Birthday', type: 'date' },
    { key: 'last_call', label: 'Last call', type: 'date_time' },
    { key: 'newsletter', label: 'Newsletter', type: 'boolean' },
    { key: 'tier', label: 'Tier', type: 'single_select', options: ['gold', 'silver'] },
    { key: 'interests', label: 'Interests', type: 'multi_select', options: ['golf', 'chess', 'sailing'] },
    { key: 'homepage', label: 'Homepage', type: 'url' },
    { key: 'private_email', label: 'Private email', type: 'email' },
    { key: 'mobile', label: 'Mobile', type: 'phone' },
    { key: 'employer', label: 'Employer', type: 'reference', referenceObject: 'company' },
  ];
  for (const definition of definitions) {
    const response = await define(definition);
    expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
  }
});
afterAll(() => test.close());

describe('custom field values', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['nickname', '  Ace  ', 'Ace'],
    ['bio', 'Long story', 'Long story'],
    ['score', 4.5, 4.5],
    ['budget', { amount: 125000, currency: 'eur' }, { amount: 125000, currency: 'EUR' }],
    ['birthday', '1990-02-28', '1990-02-28'],
    ['last_call', '2026-01-02T10:00:00+02:00', '2026-01-02T08:00:00.000Z'],
    ['newsletter', true, true],
    ['tier', 'gold', 'gold'],
    ['interests', ['golf', 'chess', 'golf'], ['golf', 'chess']],
    ['homepage', 'https://ace.example/me', 'https://ace.example/me'],
    ['private_email', 'Ace@Example.COM', 'ace@example.com'],
    ['mobile', '+44 20 7946 0958', '+442079460958'],
  ];
  it.each(cases)('stores a valid %s in its normal form', async (key, value, stored) => {
    const created = await owner.post('/api/v1/contacts', { name: `Valid ${key}`, customFields: { [key]: value } });
    expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
    expect(created.body.customFields).toEqual({ [key]: stored });
    expect((await owner.get(`/api/v1/contacts/${created.body.id}`)).body.customFields).toEqual({ [key]: stored });
  });

  it('stores a reference to a company of the workspace', async () => {
    const created = await owner.post('/api/v1/contacts', { name: 'Employed', customFields: { employer: companyId } });
    expect(created.body.customFields).toEqual({ employer: companyId });
  });

  const invalid: Array<[string, unknown]> = [
    ['nickname', 42], ['bio', 'x'.repeat(20_001)], ['score', '12'], ['budget', { amount: 1.5, currency: 'EUR' }], ['budget', { amount: 1, currency: 'XXY' }],
    ['birthday', '1990-02-30'], ['last_call', '2026-01-02T10:00:00'], ['newsletter', 'yes'], ['tier', 'bronze'], ['interests', ['golf', 'darts']],
    ['homepage', 'ftp://ace.example'], ['private_email', 'not-an-email'], ['mobile', '12'], ['employer', '0190f3d0-0000-7000-8000-000000000000'],
  ];
  it.each(invalid)('refuses an invalid %s, naming customFields.<key>', async (key, value) => {
    const response = await owner.post('/api/v1/contacts', { name: `Invalid ${key}`, customFields: { [key]: value } });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('custom_field.invalid');
    expect(response.body.error.details[0].field).toBe(`customFields.${key}`);
  });

  it('refuses an unknown key, naming it', async () => {
    const response = await owner.post('/api/v1/contacts', { name: 'Unknown', customFields: { shoe_size: 44 } });
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'custom_field.unknown', details: [{ field: 'customFields.shoe_size' }] });
  });

  it('enforces a required field on create, and refuses clearing it, but not on other updates', async () => {
    const required = await owner.post('/api/v1/custom-fields', { object: 'company', key: 'region', label: 'Region', type: 'text', required: true });
    expect(required.statusCode).toBe(201);
    const missing = await owner.post('/api/v1/companies', { name: 'No region' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'custom_field.required', details: [{ field: 'customFields.region' }] });
    const company = await owner.post('/api/v1/companies', { name: 'Has region', customFields: { region: 'EMEA' } });
    expect(company.statusCode).toBe(201);
    expect((await owner.patch(`/api/v1/companies/${company.body.id}`, { city: 'Paris' })).statusCode).toBe(200);
    const cleared = await owner.patch(`/api/v1/companies/${company.body.id}`, { customFields: { region: null } });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.body.error.code).toBe('custom_field.required');
    await owner.delete(`/api/v1/custom-fields/${required.body.id}`);
  });

  it('updates one value, keeps the others, clears with null, and logs the change', async () => {
    const created = await owner.post('/api/v1/contacts', { name: 'Patchy', customFields: { nickname: 'P', score: 1 } });
    const patched = await owner.patch(`/api/v1/contacts/${created.body.id}`, { customFields: { score: 2, nickname: null } });
    expect(patched.body.customFields).toEqual({ score: 2 });
    const history = await owner.get(`/api/v1/audit?entity=contact&id=${created.body.id}`);
    expect(history.body.items[0].changes.customFields).toEqual({ before: { nickname: 'P', score: 1 }, after: { score: 2 } });
  });
});

describe('custom field definitions', () => {
  it('keeps values when relabelled, refuses a key change, and refuses a type its values do not fit', async () => {
    const field = await define({ key: 'shirt', label: 'Shirt', type: 'text' });
    const contact = await owner.post('/api/v1/contacts', { name: 'Shirted', customFields: { shirt: 'L' } });
    expect((await owner.patch(`/api/v1/custom-fields/${field.body.id}`, { label: 'Shirt size' })).body.label).toBe('Shirt size');
    expect((await owner.get(`/api/v1/contacts/${contact.body.id}`)).body.customFields.shirt).toBe('L');
    const keyChange = await owner.patch(`/api/v1/custom-fields/${field.body.id}`, { key: 'shirt_size' });
    expect(keyChange.statusCode).toBe(400);
    const typeChange = await owner.patch(`/api/v1/custom-fields/${field.body.id}`, { type: 'number' });
    expect(typeChange.statusCode).toBe(400);
    expect(typeChange.body.error.code).toBe('custom_field.values_do_not_fit');
    expect((await owner.patch(`/api/v1/custom-fields/${field.body.id}`, { type: 'long_text' })).statusCode).toBe(200);
  });

  it('removes the values of a deleted definition from every record', async () => {
    const field = await define({ key: 'doomed', label: 'Doomed', type: 'text' });
    const contact = await owner.post('/api/v1/contacts', { name: 'Holder', customFields: { doomed: 'x', nickname: 'kept' } });
    expect((await owner.delete(`/api/v1/custom-fields/${field.body.id}`)).statusCode).toBe(204);
    expect((await owner.get(`/api/v1/contacts/${contact.body.id}`)).body.customFields).toEqual({ nickname: 'kept' });
    const again = await define({ key: 'doomed', label: 'Doomed again', type: 'number' });
    expect(again.statusCode).toBe(201);
  });

  it("keeps another workspace's definitions and values apart", async () => {
    const stranger = await test.signup();
    const field = await define({ key: 'secret_code', label: 'Secret code', type: 'text' });
    expect((await stranger.patch(`/api/v1/custom-fields/${field.body.id}`, { label: 'Mine' })).statusCode).toBe(404);
    expect((await stranger.delete(`/api/v1/custom-fields/${field.body.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/custom-fields')).body.items).toEqual([]);
    const refused = await stranger.post('/api/v1/contacts', { name: 'Stranger', customFields: { secret_code: 'x' } });
    expect(refused.body.error.code).toBe('custom_field.unknown');
    const employed = await stranger.post('/api/v1/custom-fields', { object: 'contact', key: 'employer', label: 'Employer', type: 'reference', referenceObject: 'company' });
    expect(employed.statusCode).toBe(201);
    const crossTenant = await stranger.post('/api/v1/contacts', { name: 'Cross', customFields: { employer: companyId } });
    expect(crossTenant.body.error).toMatchObject({ code: 'custom_field.invalid', details: [{ field: 'customFields.employer' }] });
  });

  it('refuses a duplicate key, a select without options, and non-administrators', async () => {
    expect((await define({ key: 'nickname', label: 'Again', type: 'text' })).statusCode).toBe(409);
    const noOptions = await define({ key: 'colour', label: 'Colour', type: 'single_select' });
    expect(noOptions.body.error.details[0].field).toBe('options');
    const mia = await addUser('sales_rep');
    expect((await mia.post('/api/v1/custom-fields', { object: 'contact', key: 'sneaky', label: 'Sneaky', type: 'text' })).statusCode).toBe(403);
    expect((await mia.get('/api/v1/custom-fields?object=contact')).statusCode).toBe(200);
  });
});
