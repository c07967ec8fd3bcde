import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

describe('background jobs', () => {
  it('runs the session purge job: long-expired sessions go, live ones stay', async () => {
    const client = await test.signup();
    await test.superuserQuery(
      `insert into session (tenant_id, id, token_hash, user_id, expires_at)
       values ($1, gen_random_uuid(), sha256('old'::bytea), $2, now() - interval '3 days')`, [client.tenantId, client.userId]);
    await test.rapport.jobs.start({ work: true });
    await test.rapport.jobs.send('identity.purge-expired-sessions');
    const deadline = Date.now() + 30_000;
    let remaining = 2;
    while (Date.now() < deadline) {
      remaining = (await test.superuserQuery('select count(*)::int as count from session where tenant_id = $1', [client.tenantId]))[0].count;
      if (remaining === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(remaining).toBe(1);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
  });
});
