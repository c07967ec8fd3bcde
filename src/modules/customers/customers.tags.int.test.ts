import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';
import { systemActor } from '../../platform/actor.js';
import { tagMergeHook } from './customers.tags.service.js';

let test: TestApp;
let owner: TestClient;
let stranger: TestClient;

const contact = async (name: string) => (await owner.post('/api/v1/contacts', { name })).body.id as string;
const tagsOf = async (id: string) => (await owner.get(`/api/v1/contacts/${id}`)).body.tags;

beforeAll(async () => {
  test = await startTestApp();
  owner = await test.signup();
  stranger = await test.signup();
});
afterAll(() => test.close());

describe('tags', () => {
  it('tags a record by name, creating new tags once whatever their case, and logs the change', async () => {
    const id = await contact('Tagged');
    const response = await owner.put(`/api/v1/contacts/${id}/tags`, { tags: ['VIP', 'lead', 'vip'] });
    expect(response.statusCode, JSON.stringify(response.body)).toBe(200);
    expect(response.body.tags).toEqual(['lead', 'VIP']);
    expect(await tagsOf(id)).toEqual(['lead', 'VIP']);
    expect((await owner.put(`/api/v1/contacts/${id}/tags`, { tags: ['Vip'] })).body.tags).toEqual(['VIP']);
    const tags = (await owner.get('/api/v1/tags')).body.items;
    expect(tags.map((tag: any) => [tag.name, tag.usage])).toEqual([['lead', 0], ['VIP', 1]]);
    const history = await owner.get(`/api/v1/audit?entity=contact&id=${id}`);
    expect(history.body.items[0].changes.tags).toEqual({ before: ['lead', 'VIP'], after: ['VIP'] });
  });

  it('filters contacts and companies by tag, and a renamed tag follows', async () => {
    const tagged = await contact('Gold member');
    await contact('Plain member');
    await owner.put(`/api/v1/contacts/${tagged}/tags`, { tags: ['gold'] });
    const company = await owner.post('/api/v1/companies', { name: 'Gold Corp' });
    await owner.put(`/api/v1/companies/${company.body.id}/tags`, { tags: ['gold'] });
    expect((await owner.get('/api/v1/contacts?filter[tag]=GOLD')).body.items.map((item: any) => item.id)).toEqual([tagged]);
    expect((await owner.get('/api/v1/companies?filter[tag]=gold')).body.items.map((item: any) => item.name)).toEqual(['Gold Corp']);
    const gold = (await owner.get('/api/v1/tags')).body.items.find((tag: any) => tag.name === 'gold');
    expect((await owner.patch(`/api/v1/tags/${gold.id}`, { name: 'Platinum', color: 'grape' })).statusCode).toBe(200);
    expect(await tagsOf(tagged)).toEqual(['Platinum']);
    expect((await owner.post('/api/v1/tags', { name: 'platinum' })).statusCode).toBe(409);
    expect((await owner.delete(`/api/v1/tags/${gold.id}`)).statusCode).toBe(204);
    expect(await tagsOf(tagged)).toEqual([]);
  });

  it("keeps another workspace's tags and records out of reach", async () => {
    const tag = await owner.post('/api/v1/tags', { name: 'private' });
    expect((await stranger.patch(`/api/v1/tags/${tag.body.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await stranger.delete(`/api/v1/tags/${tag.body.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/tags')).body.items).toEqual([]);
    const id = await contact('Not yours');
    expect((await stranger.put(`/api/v1/contacts/${id}/tags`, { tags: ['x'] })).statusCode).toBe(404);
  });

  it('drops the tags of a deleted contact', async () => {
    const id = await contact('Short lived');
    await owner.put(`/api/v1/contacts/${id}/tags`, { tags: ['ephemeral'] });
    await owner.delete(`/api/v1/contacts/${id}`);
    const rows = await test.superuserQuery('select * from record_tag where tenant_id = $1 and record_id = $2', [owner.tenantId, id]);
    expect(rows).toEqual([]);
  });
});

describe('the tag merge hook', () => {
  it('moves the merged records\' tags to the survivor, skipping ones it has, and restores them', async () => {
    const survivor = await contact('Survivor');
    const first = await contact('Duplicate one');
    const second = await contact('Duplicate two');
    await owner.put(`/api/v1/contacts/${survivor}/tags`, { tags: ['shared'] });
    await owner.put(`/api/v1/contacts/${first}/tags`, { tags: ['shared', 'from-first', 'both'] });
    await owner.put(`/api/v1/contacts/${second}/tags`, { tags: ['both', 'from-second'] });
    const actor = systemActor(owner.tenantId);
    const context = (trx: any) => ({ trx, actor, object: 'contact' as const, survivorId: survivor, mergedIds: [first, second] });
    const result = await test.database.forTenant(owner.tenantId, (trx) => tagMergeHook.repoint(context(trx)));
    expect(result.moved).toBe(3);
    expect(await tagsOf(survivor)).toEqual(['both', 'from-first', 'from-second', 'shared']);
    expect(await tagsOf(first)).toEqual([]);
    expect(await tagsOf(second)).toEqual([]);
    const note = JSON.parse(JSON.stringify(result.undo));
    await test.database.forTenant(owner.tenantId, (trx) => tagMergeHook.restore(context(trx), note));
    expect(await tagsOf(survivor)).toEqual(['shared']);
    expect(await tagsOf(first)).toEqual(['both', 'from-first', 'shared']);
    expect(await tagsOf(second)).toEqual(['both', 'from-second']);
  });

  it('is registered with the merge hooks', () => {
    expect(test.rapport.services.mergeHooks.find('customers.tags')).toBe(tagMergeHook);
  });
});
