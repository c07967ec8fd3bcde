// The embedded shape (PGlite in the server process) on a small workspace. Data goes in
// through `rapport seed`, i.e. the real services one record at a time: slow, so the size
// is bounded (2,000 contacts), and the figures are reported beside the server shape's,
// never compared with its ceilings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlan, listOperations, runLoad, type LoadResult } from './operations.js';
import { findFreePort, readMemory, runCommand, startServer } from './processes.js';

export const embeddedSize = { companies: 400, contacts: 2000 };
/**
 * A smoke run only proves the shape works: a quarter of the data. Seeding goes through the
 * services at ~0.1 s a contact on a slow host, and the full size took 255 s on one and more than
 * 300 s (the old bound) on another.
 */
export const smokeEmbeddedSize = { companies: 100, contacts: 500 };

export interface EmbeddedReport {
  contacts: number;
  seedSeconds: number;
  operations: Record<string, LoadResult>;
  peakRssMb: number;
}

async function createApiKeyThroughApi(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@rapport.local', password: 'rapport-demo' }),
  });
  if (!login.ok) throw new Error(`demo sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = await login.json() as { csrfToken: string };
  const created = await fetch(`${url}/api/v1/api-keys`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'benchmark' }),
  });
  if (!created.ok) throw new Error(`creating an API key failed: ${created.status} ${await created.text()}`);
  return (await created.json() as { secret: string }).secret;
}

export async function measureEmbedded(options: { connections: number; durationSeconds: number; smoke: boolean }): Promise<EmbeddedReport> {
  const size = options.smoke ? smokeEmbeddedSize : embeddedSize;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-pglite-'));
  const env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', RAPPORT_DEMO_SEED: 'false', RAPPORT_RATE_LIMIT_PER_MINUTE: '0', RAPPORT_MAX_EVENT_LOOP_DELAY_MS: '0' };
  try {
    const seeded = await runCommand(process.execPath, ['bin/rapport.js', 'seed', '--companies', String(size.companies), '--contacts', String(size.contacts)], { env, timeoutMs: 900_000 });
    const port = await findFreePort();
    const server = await startServer(['bin/rapport.js', 'start', '--role', 'api'], { ...env, PORT: String(port) }, port, '/health/ready');
    try {
      const headers = { authorization: `Bearer ${await createApiKeyThroughApi(server.url)}` };
      const first = await fetch(`${server.url}/api/v1/contacts?limit=200`, { headers }).then((response) => response.json()) as { items: { id: string; name: string; companyId: string | null }[]; nextCursor: string };
      const plan = createPlan({
        tenantId: '', ownerId: '',
        contactIds: first.items.map((item) => item.id),
        companyIds: first.items.flatMap((item) => item.companyId ? [item.companyId] : []),
        searchTerms: first.items.map((item) => item.name).filter((name) => /^[\u4e00-\u9fff]{2}$/.test(name)).slice(0, 4).concat(['lovelace', 'smi']),
        deepCursors: [first.nextCursor],
      }, `embedded${Date.now().toString(36)}`);
      const operations: Record<string, LoadResult> = {};
      for (const operation of listOperations(plan).filter((item) => ['get', 'listFirst', 'search', 'create'].includes(item.name))) {
        operations[operation.name] = await runLoad(operation.request, {
          url: server.url, connections: options.connections, durationSeconds: options.durationSeconds, headers, serverPid: server.child.pid,
        });
      }
      const peakRssMb = readMemory(server.child.pid!)?.peakMb ?? 0;
      return { contacts: size.contacts, seedSeconds: seeded.milliseconds / 1000, operations, peakRssMb };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
