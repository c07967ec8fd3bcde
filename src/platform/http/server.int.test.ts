import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await startTestApp();
});
afterAll(() => test.close());

describe('the HTTP platform', () => {
  it('answers liveness and readiness', async () => {
    expect((await test.request({ method: 'GET', url: '/health/live' })).body).toEqual({ status: 'ok' });
    expect((await test.request({ method: 'GET', url: '/health/ready' })).body).toEqual({ status: 'ready', database: 'ok', migrations: 'current' });
  });

  it('is not ready when a migration is missing', async () => {
    await test.superuserQuery("update kysely_migration set name = 'renamed' where name = '0001_foundation'");
    try {
      const response = await test.request({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.body.migrations).toBe('pending');
    } finally {
      await test.superuserQuery("update kysely_migration set name = '0001_foundation' where name = 'renamed'");
    }
  });

  it('sheds load when the event loop lags, yet stays live and reports itself not ready', async () => {
    const loaded = await startTestApp({ maxEventLoopDelayMs: 50 });
    try {
      const blockedUntil = Date.now() + 1_200;
      while (Date.now() < blockedUntil) { /* hold the event loop, as an overloaded process does */ }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await loaded.request({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const ready = await loaded.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.body).toEqual({ status: 'not_ready', database: 'ok', migrations: 'unknown', load: 'overloaded' });
      const api = await loaded.request({ method: 'GET', url: '/api/v1/auth/me' });
      expect(api.statusCode).toBe(503);
      expect(api.body.error.code).toBe('server.overloaded');
    } finally {
      await loaded.close();
    }
  });

  it('exports request durations by route and status, and the database pool, to Prometheus', async () => {
    await test.request({ method: 'GET', url: '/health/live' });
    const metrics = await test.request({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} \d+/);
    expect(metrics.body).toMatch(/db_pool_connections\{state="total"\}/);
    expect(metrics.body).toMatch(/process_resident_memory_bytes/);
  });

  it('publishes an OpenAPI 3.1 document of the API with its schemas', async () => {
    const response = await test.request({ method: 'GET', url: '/api/openapi.json' });
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/companies', '/api/v1/signup', '/api/v1/audit']));
    expect(response.body.paths['/api/v1/contacts'].post.requestBody.content['application/json'].schema.properties.phone).toBeTruthy();
    const docs = await test.request({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('echoes a request id, sets security headers, and answers unknown API routes with the error format', async () => {
    const response = await test.request({ method: 'GET', url: '/api/v1/nowhere', headers: { 'x-request-id': 'trace-123' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.body.error.code).toBe('route.not_found');
  });

  it('gives documents the browser headers that API answers go without', async () => {
    const page = await test.request({ method: 'GET', url: '/not-an-api-path' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const answer = await test.request({ method: 'GET', url: '/health/live' });
    expect(answer.headers['strict-transport-security']).toContain('max-age=');
    expect(answer.headers['referrer-policy']).toBeUndefined();
    expect(answer.headers['x-dns-prefetch-control']).toBeUndefined();
  });

  it('limits the rate per client with a 429 in the error format', async () => {
    const limited = await startTestApp({ rateLimitPerMinute: 3 });
    try {
      const statuses = [];
      for (let index = 0; index < 5; index++) statuses.push((await limited.request({ method: 'GET', url: '/api/v1/auth/me' })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const response = await limited.request({ method: 'GET', url: '/api/v1/auth/me' });
      expect(response.body.error.code).toBe('request.rate_limited');
      // Without RAPPORT_TRUST_PROXY a client cannot pick a fresh address by header.
      const spoofed = await limited.request({ method: 'GET', url: '/api/v1/auth/me', headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(spoofed.statusCode).toBe(429);
      expect((await limited.request({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
