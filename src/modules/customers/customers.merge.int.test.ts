import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;
const hookCalls: Array<{ call: 'repoint' | 'restore'; object: string; survivorId: string; mergedIds: string[]; undo?: unknown }> = [];

beforeAll(async () => {
  test = await startTestApp();
  // A module's hook as any other module would register it: it records what it was asked to do.
  test.rapport.services.mergeHooks.register({
    name: 'test.recorder',
    async repoint({ object, survivorId, mergedIds }) {
      hookCalls.push({ call: 'repoint', object, survivorId, mergedIds });
      return { moved: mergedIds.length, undo: { note: 'from repoint' } };
    },
    async restore({ object, survivorId, mergedIds }, undo) {
      hookCalls.push({ call: 'restore', object, survivorId, mergedIds, undo });
    },
  });
  owner = await test.signup('Merge Inc');
  stranger = await test.signup('Elsewhere');
});
afterAll(() => test.close());

async function created(client: TestClient, path: string, body: object) {
  const response = await client.post(path, body);
  expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const history = async (entity: string, id: string) =>
  test.superuserQuery<{ operation: string; before: any; after: any }>(
    'select operation, before, after from change_log where tenant_id = $1 and entity = $2 and entity_id = $3 order by seq', [owner.tenantId, entity, id]);

describe('merging companies', () => {
  it('moves the merged companies’ contacts to the survivor, runs every hook, logs it, and undo puts it all back', async () => {
    const survivor = await created(owner, '/api/v1/companies', { name: 'Acme', city: null });
    const merged = await created(owner, '/api/v1/companies', { name: 'ACME Ltd', website: 'acme.example.com', city: 'Leeds' });
    const person = await created(owner, '/api/v1/contacts', { name: 'Wile E. Coyote', companyId: merged.id });
    const response = await owner.post('/api/v1/companies/merge', { survivorId: survivor.id, mergedIds: [merged.id], fields: { name: merged.id } });
    expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
    expect(response.body.survivor).toMatchObject({ id: survivor.id, name: 'ACME Ltd', website: 'https://acme.example.com', domain: 'acme.example.com', city: 'Leeds', contactCount: 1 });
    expect(response.body.merge.hooks).toEqual(expect.arrayContaining([{ name: 'customers.company-contacts', moved: 1 }, { name: 'test.recorder', moved: 1 }]));
    expect(hookCalls.at(-1)).toEqual({ call: 'repoint', object: 'company', survivorId: survivor.id, mergedIds: [merged.id] });
    expect((await owner.get(`/api/v1/contacts/${person.id}`)).body.companyId).toBe(survivor.id);
    expect((await owner.get(`/api/v1/companies/${merged.id}`)).statusCode).toBe(404);

    const survivorLog = (await history('company', survivor.id)).at(-1)!;
    expect(survivorLog).toMatchObject({ operation: 'merge', before: { name: 'Acme', city: null }, after: { name: 'ACME Ltd', city: 'Leeds', mergedIds: [merged.id] } });
    expect((await history('company', merged.id)).at(-1)).toMatchObject({ operation: 'merged', after: { mergedInto: survivor.id } });
    expect((await history('contact', person.id)).at(-1)).toMatchObject({ operation: 'update', before: { companyId: merged.id }, after: { companyId: survivor.id } });

    const listed = await owner.get(`/api/v1/merges?recordId=${merged.id}`);
    expect(listed.body.items.map((item: any) => item.id)).toEqual([response.body.merge.id]);
    const undone = await owner.post(`/api/v1/merges/${response.body.merge.id}/undo`);
    expect(undone.statusCode, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.undoneAt).not.toBeNull();
    expect(hookCalls.at(-1)).toMatchObject({ call: 'restore', undo: { note: 'from repoint' } });
    const restored = await owner.get(`/api/v1/companies/${merged.id}`);
    expect(restored.body).toMatchObject({ name: 'ACME Ltd', website: 'https://acme.example.com', city: 'Leeds', createdAt: merged.createdAt, contactCount: 1 });
    expect((await owner.get(`/api/v1/companies/${survivor.id}`)).body).toMatchObject({ name: 'Acme', website: null, domain: null, contactCount: 0 });
    expect((await owner.get(`/api/v1/contacts/${person.id}`)).body.companyId).toBe(merged.id);
    expect((await history('company', merged.id)).at(-1)).toMatchObject({ operation: 'restore' });
    expect((await history('company', survivor.id)).at(-1)).toMatchObject({ operation: 'unmerge' });

    const again = await owner.post(`/api/v1/merges/${response.body.merge.id}/undo`);
    expect(again.statusCode).toBe(409);
    expect(again.body.error.code).toBe('merge.already_undone');
  });
});

describe('merging contacts', () => {
  it('keeps the chosen values, fills empty fields from the merged record, and frees the merged email', async () => {
    const survivor = await created(owner, '/api/v1/contacts', { name: 'Ada King', email: 'ada.king@example.com' });
    const merged = await created(owner, '/api/v1/contacts', { name: 'Ada Lovelace', email: 'ada@example.org', phone: '+44 20 7946 0958', title: 'Countess' });
    const response = await owner.post('/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id], fields: { email: merged.id } });
    expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
    expect(response.body.survivor).toMatchObject({ id: survivor.id, name: 'Ada King', email: 'ada@example.org', phone: '+442079460958', title: 'Countess' });
    const search = await owner.get('/api/v1/search?q=ada@example.org');
    expect(search.body.items[0]).toMatchObject({ id: survivor.id, matchedOn: 'email' });
  });

  it('keeps edits made to the survivor after the merge when undoing it', async () => {
    const survivor = await created(owner, '/api/v1/contacts', { name: 'Hedy Lamarr' });
    const merged = await created(owner, '/api/v1/contacts', { name: 'Hedwig Kiesler', title: 'Inventor', phone: '+1 202 555 0100' });
    const response = await owner.post('/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id] });
    expect(response.body.survivor).toMatchObject({ title: 'Inventor', phone: '+12025550100' });
    expect((await owner.patch(`/api/v1/contacts/${survivor.id}`, { phone: '+1 202 555 0111' })).statusCode).toBe(200);
    expect((await owner.post(`/api/v1/merges/${response.body.merge.id}/undo`)).statusCode).toBe(200);
    expect((await owner.get(`/api/v1/contacts/${survivor.id}`)).body).toMatchObject({ name: 'Hedy Lamarr', title: null, phone: '+12025550111' });
    expect((await owner.get(`/api/v1/contacts/${merged.id}`)).body).toMatchObject({ name: 'Hedwig Kiesler', title: 'Inventor', phone: '+12025550100' });
  });

  it('refuses to undo when a merged record’s email has been reused, and changes nothing', async () => {
    const survivor = await created(owner, '/api/v1/contacts', { name: 'Mary Jackson' });
    const merged = await created(owner, '/api/v1/contacts', { name: 'M. Jackson', email: 'mary@example.com' });
    const response = await owner.post('/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id] });
    expect(response.body.survivor.email).toBe('mary@example.com');
    await owner.patch(`/api/v1/contacts/${survivor.id}`, { email: 'mary.jackson@example.com' });
    await created(owner, '/api/v1/contacts', { name: 'Another Mary', email: 'mary@example.com' });
    const undo = await owner.post(`/api/v1/merges/${response.body.merge.id}/undo`);
    expect(undo.statusCode).toBe(409);
    expect(undo.body.error.code).toBe('merge.undo_conflict');
    expect((await owner.get(`/api/v1/contacts/${merged.id}`)).statusCode).toBe(404);
    expect((await owner.get(`/api/v1/contacts/${survivor.id}`)).body.email).toBe('mary.jackson@example.com');
  });

  it('refuses to undo when a merged record’s id exists again', async () => {
    const survivor = await created(owner, '/api/v1/contacts', { name: 'Annie Easley' });
    const merged = await created(owner, '/api/v1/contacts', { name: 'A. Easley' });
    const response = await owner.post('/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id] });
    await test.superuserQuery('insert into contact (tenant_id, id, name) values ($1, $2, $3)', [owner.tenantId, merged.id, 'Reused id']);
    const undo = await owner.post(`/api/v1/merges/${response.body.merge.id}/undo`);
    expect(undo.statusCode).toBe(409);
    expect(undo.body.error).toMatchObject({ code: 'merge.undo_conflict', details: [expect.objectContaining({ field: 'mergedIds' })] });
  });

  it('answers another workspace’s ids with 404 and bad bodies with 400 naming the field', async () => {
    const mine = await created(owner, '/api/v1/contacts', { name: 'Mine' });
    const other = await created(owner, '/api/v1/contacts', { name: 'Other' });
    const theirs = await created(stranger, '/api/v1/contacts', { name: 'Theirs' });
    const foreign = await owner.post('/api/v1/contacts/merge', { survivorId: mine.id, mergedIds: [theirs.id] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body.error.code).toBe('contact.not_found');
    const merge = await owner.post('/api/v1/contacts/merge', { survivorId: mine.id, mergedIds: [other.id] });
    expect((await stranger.post(`/api/v1/merges/${merge.body.merge.id}/undo`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/v1/merges?recordId=${mine.id}`)).body.items).toEqual([]);
    const cases: Array<[unknown, string]> = [
      [{ survivorId: mine.id, mergedIds: [mine.id] }, 'mergedIds'],
      [{ survivorId: mine.id, mergedIds: [] }, 'mergedIds'],
      [{ survivorId: 'nope', mergedIds: [other.id] }, 'survivorId'],
      [{ mergedIds: [other.id] }, 'survivorId'],
      [{ survivorId: mine.id, mergedIds: [theirs.id], fields: { nickname: mine.id } }, 'fields.nickname'],
      [{ survivorId: mine.id, mergedIds: [theirs.id], fields: { name: other.id } }, 'fields.name'],
      [{ survivorId: mine.id, mergedIds: [theirs.id], extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const response = await owner.post('/api/v1/contacts/merge', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details[0].field, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('merging under permissions, custom fields and encryption', () => {
  async function addUser(role: string) {
    const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const created = await owner.post('/api/v1/users', { name: `${role} user`, email, password: 'correct horse battery', role });
    expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
    const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
    const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
    return test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken });
  }

  it('lets a sales rep merge only their own contacts', async () => {
    const rep = await addUser('sales_rep');
    const mine = (await rep.post('/api/v1/contacts', { name: 'Rep Contact' })).body;
    const alsoMine = (await rep.post('/api/v1/contacts', { name: 'Rep Contact 2' })).body;
    const owners = await created(owner, '/api/v1/contacts', { name: 'Owner Contact' });
    const refused = await rep.post('/api/v1/contacts/merge', { survivorId: mine.id, mergedIds: [owners.id] });
    expect(refused.statusCode).toBe(404);
    expect((await owner.get(`/api/v1/contacts/${owners.id}`)).statusCode).toBe(200);
    const allowed = await rep.post('/api/v1/contacts/merge', { survivorId: mine.id, mergedIds: [alsoMine.id] });
    expect(allowed.statusCode, JSON.stringify(allowed.body)).toBe(200);
  });

  it('merges custom field values, the survivor’s keys winning unless chosen otherwise', async () => {
    for (const key of ['tier', 'region']) {
      const field = await owner.post('/api/v1/custom-fields', { object: 'company', key, label: key, type: 'text' });
      expect(field.statusCode, JSON.stringify(field.body)).toBe(201);
    }
    const survivor = await created(owner, '/api/v1/companies', { name: 'Fields One', customFields: { tier: 'gold' } });
    const merged = await created(owner, '/api/v1/companies', { name: 'Fields Two', customFields: { tier: 'silver', region: 'north' } });
    const kept = await owner.post('/api/v1/companies/merge', { survivorId: survivor.id, mergedIds: [merged.id] });
    expect(kept.body.survivor.customFields).toEqual({ tier: 'gold', region: 'north' });
    await owner.post(`/api/v1/merges/${kept.body.merge.id}/undo`);
    expect((await owner.get(`/api/v1/companies/${survivor.id}`)).body.customFields).toEqual({ tier: 'gold' });
    expect((await owner.get(`/api/v1/companies/${merged.id}`)).body.customFields).toEqual({ tier: 'silver', region: 'north' });
    const chosen = await owner.post('/api/v1/companies/merge', { survivorId: survivor.id, mergedIds: [merged.id], fields: { 'customFields.tier': merged.id } });
    expect(chosen.body.survivor.customFields).toEqual({ tier: 'silver', region: 'north' });
  });

  it('moves an encrypted phone with its blind index, so search still finds it', async () => {
    await test.rapport.jobs.start({ work: true });
    const settings = await owner.put('/api/v1/workspace/encryption', { fields: ['contact.phone'] });
    expect(settings.statusCode, JSON.stringify(settings.body)).toBe(200);
    const survivor = await created(owner, '/api/v1/contacts', { name: 'Sealed Survivor' });
    const merged = await created(owner, '/api/v1/contacts', { name: 'Sealed Merged', phone: '+33 1 42 68 53 00' });
    const response = await owner.post('/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id] });
    expect(response.body.survivor.phone).toBe('+33142685300');
    const [stored] = await test.superuserQuery('select phone, phone_index from contact where id = $1', [survivor.id]);
    expect(stored.phone).not.toBe('+33142685300');
    expect(stored.phone_index).not.toBeNull();
    const search = await owner.get(`/api/v1/search?q=${encodeURIComponent('+33 1 42 68 53 00')}`);
    expect(search.body.items[0]).toMatchObject({ id: survivor.id, matchedOn: 'phone' });
  });
});
