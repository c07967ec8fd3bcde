import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../test/test-app.js';

let test: TestApp;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  test = await startTestApp();
  alice = await test.signup();
  bob = await test.signup();
  await alice.post('/api/v1/contacts', { name: 'Alice’s customer' });
  await bob.post('/api/v1/contacts', { name: 'Bob’s customer' });
});
afterAll(() => test.close());

describe('row-level security', () => {
  it('stops a query that forgets the tenant filter, with nothing but the database policy', async () => {
    const names = await test.database.forTenant(alice.tenantId, async (trx) =>
      (await sql<{ name: string }>`select name from contact`.execute(trx)).rows.map((row) => row.name));
    expect(names).toEqual(['Alice’s customer']);
    const everything = await test.superuserQuery('select count(*)::int as count from contact');
    expect(everything[0].count).toBe(2);
  });

  it('refuses to write a row into another tenant', async () => {
    await expect(test.database.forTenant(alice.tenantId, (trx) =>
      sql`insert into contact (tenant_id, id, name) values (${bob.tenantId}, gen_random_uuid(), 'Planted')`.execute(trx)))
      .rejects.toThrow(/row-level security/);
    await expect(test.database.forTenant(alice.tenantId, (trx) =>
      sql`update contact set name = 'Overwritten' where tenant_id = ${bob.tenantId}`.execute(trx))).resolves.toMatchObject({ numAffectedRows: 0n });
    const bobs = await bob.get('/api/v1/contacts');
    expect(bobs.body.items.map((contact: { name: string }) => contact.name)).toEqual(['Bob’s customer']);
  });

  it('runs tenant work as a role that is neither superuser nor able to bypass RLS', async () => {
    const role = await test.database.forTenant(alice.tenantId, async (trx) =>
      (await sql<{ user: string; rolsuper: boolean; rolbypassrls: boolean }>`
        select current_user as user, rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(trx)).rows[0]);
    expect(role).toEqual({ user: 'rapport_app', rolsuper: false, rolbypassrls: false });
  });

  it('sees no tenant data at all when no tenant is set', async () => {
    const count = await test.database.forAuthLookup(async (trx) =>
      (await sql<{ count: number }>`select count(*)::int as count from contact`.execute(trx)).rows[0].count);
    expect(count).toBe(0);
  });

  it('holds for reads too: alternating tenants on the same connections see only their own rows', async () => {
    const namesOf = (tenantId: string) => test.database.readTenant(tenantId, async (trx) =>
      (await sql<{ name: string }>`select name from contact`.execute(trx)).rows.map((row) => row.name));
    // More reads than pool connections, interleaved, so connections switch tenant between reads.
    const reads = await Promise.all(Array.from({ length: 24 }, (_, index) => namesOf(index % 2 ? bob.tenantId : alice.tenantId)));
    reads.forEach((names, index) => expect(names).toEqual([index % 2 ? 'Bob’s customer' : 'Alice’s customer']));
  });

  it('answers gets and lists from prepared statements with each tenant’s own rows', async () => {
    const [aliceContact] = (await alice.get('/api/v1/contacts')).body.items;
    const [bobContact] = (await bob.get('/api/v1/contacts')).body.items;
    // More reads than pool connections, more than five per statement (PostgreSQL then keeps a
    // generic plan), tenants interleaved on the same connections.
    for (let round = 0; round < 3; round++) {
      const reads = await Promise.all(Array.from({ length: 24 }, (_, index) => (index % 2 ? bob : alice).get(`/api/v1/contacts/${index % 2 ? bobContact.id : aliceContact.id}`)));
      reads.forEach((read, index) => expect(read.body.name).toBe(index % 2 ? 'Bob’s customer' : 'Alice’s customer'));
      // Bob cannot read Alice's contact through a statement prepared with her id as a parameter.
      expect((await bob.get(`/api/v1/contacts/${aliceContact.id}`)).statusCode).toBe(404);
    }
  });

  it('answers prepared list pages, contacts and companies, with each tenant’s own rows', async () => {
    await alice.post('/api/v1/companies', { name: 'Alice’s company' });
    await bob.post('/api/v1/companies', { name: 'Bob’s company' });
    for (const sort of ['name', '-createdAt']) {
      const pages = await Promise.all(Array.from({ length: 24 }, (_, index) =>
        (index % 2 ? bob : alice).get(`/api/v1/${index % 4 < 2 ? 'companies' : 'contacts'}?sort=${sort}`)));
      pages.forEach((page, index) => expect(page.body.items.map((item: { name: string }) => item.name))
        .toEqual([`${index % 2 ? 'Bob' : 'Alice'}’s ${index % 4 < 2 ? 'company' : 'customer'}`]));
    }
  });

  it('plans other queries for their values after prepared pages have run on the same connections', async () => {
    // Prepared pages switch a connection to generic plans; a query with parameters (a search,
    // say) must find it switched back, or a generic plan could make it read every row.
    await Promise.all(Array.from({ length: 24 }, () => alice.get('/api/v1/contacts?limit=20')));
    const modes = await Promise.all(Array.from({ length: 24 }, () => test.database.readTenant(alice.tenantId, async (trx) =>
      (await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode where ${1}::int = 1`.execute(trx)).rows[0].mode)));
    expect(new Set(modes)).toEqual(new Set(['auto']));
  });

  it('keeps answering when a migration adds a column under the prepared statements', async () => {
    const [contact] = (await alice.get('/api/v1/contacts')).body.items;
    await Promise.all(Array.from({ length: 24 }, () => alice.get(`/api/v1/contacts/${contact.id}`)));
    await test.superuserQuery('alter table contact add column added_by_a_migration text');
    try {
      const reads = await Promise.all(Array.from({ length: 24 }, () => alice.get(`/api/v1/contacts/${contact.id}`)));
      reads.forEach((read) => expect(read.statusCode).toBe(200));
      const list = await alice.get('/api/v1/contacts');
      expect(list.statusCode).toBe(200);
      expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['Alice’s customer']);
    } finally {
      await test.superuserQuery('alter table contact drop column added_by_a_migration');
    }
  });

  it('refuses writes inside a read, as the app role', async () => {
    await expect(test.database.readTenant(alice.tenantId, (trx) =>
      sql`update contact set name = 'Changed in a read' where tenant_id = ${alice.tenantId}`.execute(trx))).rejects.toThrow(/read-only/);
    const role = await test.database.readTenant(alice.tenantId, async (trx) =>
      (await sql<{ user: string }>`select current_user as user`.execute(trx)).rows[0].user);
    expect(role).toBe('rapport_app');
    const names = (await alice.get('/api/v1/contacts')).body.items.map((contact: { name: string }) => contact.name);
    expect(names).toEqual(['Alice’s customer']);
  });
});
