import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestClient } from '../../../test/test-app.js';

let test: TestApp;
let owner: TestClient;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-export-'));

async function addUser(role: string) {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await owner.post('/api/v1/users', { name: `A ${role}`, email, password: 'correct horse battery', role });
  expect(created.statusCode).toBe(201);
  const login = await test.request<any>({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'correct horse battery' } });
  const cookie = login.cookies.find((candidate) => candidate.name === 'rapport_session')!;
  return { ...test.clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': login.body.csrfToken }), userId: created.body.id as string };
}

const csvLines = (body: unknown) => String(body).trim().split('\r\n');

beforeAll(async () => {
  test = await startTestApp({ dataDir });
  owner = await test.signup();
  await owner.post('/api/v1/contacts', { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958', title: '=HYPERLINK("http://evil")' });
  await owner.post('/api/v1/contacts', { name: 'Grace Hopper', email: 'grace@example.com', title: 'Rear admiral' });
  for (let index = 0; index < 2100; index += 700) {
    // More rows than one export page (2,000), written through the import to be quick.
    const rows = Array.from({ length: 700 }, (_, offset) => `Bulk ${String(index + offset).padStart(4, '0')},bulk${index + offset}@example.com`).join('\n');
    await test.rapport.services.imports.runFromFile({ tenantId: owner.tenantId, userId: owner.userId, name: 'Owner', type: 'user', role: 'owner' },
      { object: 'contact', mode: 'create', dryRun: false }, writeTemp(`name,email\n${rows}\n`));
  }
});
afterAll(async () => {
  await test.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function writeTemp(text: string) {
  const file = path.join(dataDir, `${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

describe('exporting contacts', () => {
  it('streams the filtered list as CSV with decrypted phones and defused formulas', async () => {
    const response = await owner.get('/api/v1/contacts/export?format=csv&q=ada');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = csvLines(response.body);
    expect(lines[0]).toBe('id,name,email,phone,title,companyId,companyName,ownerId,tags,createdAt,updatedAt');
    expect(lines).toHaveLength(2);
    // A leading + is defused like a formula; the import reads such a cell back as the phone.
    expect(lines[1]).toContain(",'+442079460958,");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const stored = await test.superuserQuery(`select phone from contact where email = 'ada@example.com'`);
    expect(stored[0].phone).not.toBe('+442079460958');
  });

  it('exports every row across keyset pages, once each, as JSON', async () => {
    const response = await owner.get('/api/v1/contacts/export?format=json&sort=email');
    expect(response.statusCode).toBe(200);
    const items = response.body as Array<{ id: string; email: string }>;
    expect(items).toHaveLength(2102);
    expect(new Set(items.map((item) => item.id)).size).toBe(2102);
    expect(items.map((item) => item.email)).toEqual([...items.map((item) => item.email)].sort());
  });

  it('leaves hidden fields out and refuses roles without the export permission', async () => {
    const readOnly = await addUser('read_only');
    expect((await readOnly.get('/api/v1/contacts/export')).statusCode).toBe(403);
    const agent = await addUser('support_agent');
    expect((await agent.get('/api/v1/contacts/export')).statusCode).toBe(403);
    const rep = await addUser('sales_rep');
    await rep.post('/api/v1/contacts', { name: 'Rep Contact', email: 'rep@example.com' });
    const lines = csvLines((await rep.get('/api/v1/contacts/export')).body);
    // A sales rep reads the team's contacts but exports only their own.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('rep@example.com');
  });

  it('leaves out the columns a role hides', async () => {
    const role = await owner.post('/api/v1/roles', {
      key: 'exporter_without_phones', name: 'Exporter without phones', grants: { '*': { read: 'all', export: 'all' } }, fieldRules: { contact: { phone: 'hidden' } },
    });
    expect(role.statusCode, JSON.stringify(role.body)).toBe(201);
    const exporter = await addUser('exporter_without_phones');
    const lines = csvLines((await exporter.get('/api/v1/contacts/export?q=ada')).body);
    expect(lines[0]).toBe('id,name,email,title,companyId,companyName,ownerId,tags,createdAt,updatedAt');
    expect(lines[1]).not.toContain('442079460958');
  });

  it('runs a large export as a job and serves the file when done', async () => {
    await test.rapport.jobs.start({ work: true });
    const started = await owner.post('/api/v1/exports', { object: 'contacts', format: 'csv', query: { q: 'grace' } });
    expect(started.statusCode, JSON.stringify(started.body)).toBe(202);
    let status = started.body;
    const deadline = Date.now() + 30_000;
    while (status.status !== 'completed' && status.status !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await owner.get(`/api/v1/exports/${started.body.id}`)).body;
    }
    expect(status).toMatchObject({ status: 'completed', rowsWritten: 1 });
    const download = await owner.get(`/api/v1/exports/${started.body.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(csvLines(download.body)[1]).toContain('grace@example.com');
  });
});
