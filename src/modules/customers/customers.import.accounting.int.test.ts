// Property: whatever the file, every row is accounted for once — created + updated + skipped
// + rejected = rows — whatever the batch size; and a dry run predicts the real run exactly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';
import type { Actor } from '../../platform/actor.js';

let test: TestApp;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-accounting-'));

beforeAll(async () => {
  test = await startTestApp({ dataDir });
});
afterAll(async () => {
  await test.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const emailPool = ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'E@X.io'];
const row = fc.oneof(
  fc.record({ name: fc.constantFrom('Ada', 'Grace', '"Lin, Mo"', '张伟'), email: fc.constantFrom(...emailPool, '') }).map(({ name, email }) => `${name},${email}`),
  fc.constant('Bad Email,not-an-email'),
  fc.constant(',nameless@x.io'),
  fc.constant('Ragged'),
  fc.constant('Too,many,fields'),
);

describe('import accounting', () => {
  it('accounts for every row once, and a dry run predicts the real run', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(row, { minLength: 1, maxLength: 25 }), fc.subarray(emailPool.slice(0, 4)), fc.constantFrom('create', 'upsert_email') as fc.Arbitrary<'create' | 'upsert_email'>,
      fc.integer({ min: 1, max: 6 }),
      async (rows, existing, mode, batchSize) => {
        const owner = await test.signup();
        for (const email of existing) await owner.post('/api/v1/contacts', { name: 'Existing', email });
        const file = path.join(dataDir, `${Math.random().toString(36).slice(2)}.csv`);
        fs.writeFileSync(file, `name,email\n${rows.join('\n')}\n`);
        const actor: Actor = { tenantId: owner.tenantId, userId: owner.userId, name: 'Owner', type: 'user', role: 'owner' };
        const run = (dryRun: boolean) => test.rapport.services.imports.runFromFile(actor, { object: 'contact', mode, dryRun }, file, { batchSize });
        const dry = (await run(true)).progress;
        const real = (await run(false)).progress;
        for (const progress of [dry, real]) expect(progress.created + progress.updated + progress.skipped + progress.rejected).toBe(rows.length);
        expect({ ...dry, status: undefined }).toEqual({ ...real, status: undefined });
        const stored = await test.superuserQuery('select count(*)::int as count, count(distinct email)::int as emails, count(email)::int as with_email from contact where tenant_id = $1', [owner.tenantId]);
        expect(stored[0].count).toBe(existing.length + real.created);
        expect(stored[0].emails).toBe(stored[0].with_email);
      },
    ), { numRuns: 15 });
  }, 120_000);
});
