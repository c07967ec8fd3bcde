// startTestApp(): a real Rapport on a real database (PGlite copied from the migrated
// template, or a fresh PostgreSQL database when TEST_DATABASE_URL is set), driven through
// app.inject with clients that sign up and carry their cookie and CSRF token like a browser.
import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type Rapport } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDatabase, openPglite, type Database } from '../src/platform/db.js';
import { createCustomerFactory } from '../src/modules/customers/index.js';

export interface TestResponse<T = any> {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
  cookies: Array<{ name: string; value: string }>;
}

export interface TestClient {
  tenantId: string;
  userId: string;
  csrfToken: string;
  get<T = any>(url: string, headers?: Record<string, string>): Promise<TestResponse<T>>;
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
  delete<T = any>(url: string, headers?: Record<string, string>): Promise<TestResponse<T>>;
}

export interface TestApp {
  rapport: Rapport;
  database: Database;
  config: Config;
  signup(workspaceName?: string): Promise<TestClient>;
  /** A client that sends the given headers (e.g. a bearer API key) and no cookie. */
  clientWith(headers: Record<string, string>): Omit<TestClient, 'tenantId' | 'userId' | 'csrfToken'>;
  request<T = any>(options: { method: string; url: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse<T>>;
  /** A direct connection that bypasses the app (for tampering and for checks). */
  superuserQuery<T extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function openTestDatabase(poolIdleSeconds: number): Promise<{ database: Database; superuserQuery: TestApp['superuserQuery']; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const template = fs.readFileSync(inject('pgliteTemplate'));
    const pglite = await openPglite(undefined, new Blob([template]));
    const database = await createDatabase({ pglite, poolIdleSeconds });
    return {
      database,
      superuserQuery: async (text, values) => (await pglite.query(text, values as any[])).rows as any[],
      drop: () => pglite.close(),
    };
  }
  const name = `rapport_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await createDatabase({ databaseUrl: url.href, poolSize: 5, poolIdleSeconds });
  const direct = new pg.Pool({ connectionString: url.href, max: 1 });
  // drop() ends this pool, then drops the database with force; pool.end() resolves before the
  // connection is gone, and the server ending it then is an error event on this pool.
  direct.on('error', () => undefined);
  return {
    database,
    superuserQuery: async (text, values) => (await direct.query(text, values)).rows,
    async drop() {
      await direct.end();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const config: Config = { ...loadConfig({
    LOG_LEVEL: 'silent', RAPPORT_RATE_LIMIT_PER_MINUTE: '0', RAPPORT_MAX_EVENT_LOOP_DELAY_MS: '0', RAPPORT_MASTER_KEY: randomBytes(32).toString('base64'),
  }), ...overrides };
  const { database, superuserQuery, drop } = await openTestDatabase(config.databasePoolIdleSeconds);
  const rapport = await buildApp(config, { database });
  const factory = createCustomerFactory(42);

  async function request<T = any>({ method, url, body, headers = {} }: { method: string; url: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse<T>> {
    const response = await rapport.app.inject({
      method: method as any, url, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = response.body;
    let parsed: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { statusCode: response.statusCode, headers: response.headers, body: parsed as T, cookies: response.cookies };
  }

  function clientWith(baseHeaders: Record<string, string>): Omit<TestClient, 'tenantId' | 'userId' | 'csrfToken'> {
    return {
      get: (url: string, headers = {}) => request({ method: 'GET', url, headers: { ...baseHeaders, ...headers } }),
      post: (url: string, body?: unknown, headers = {}) => request({ method: 'POST', url, body: body ?? {}, headers: { ...baseHeaders, ...headers } }),
      patch: (url: string, body?: unknown, headers = {}) => request({ method: 'PATCH', url, body: body ?? {}, headers: { ...baseHeaders, ...headers } }),
      put: (url: string, body?: unknown, headers = {}) => request({ method: 'PUT', url, body: body ?? {}, headers: { ...baseHeaders, ...headers } }),
      delete: (url: string, headers = {}) => request({ method: 'DELETE', url, headers: { ...baseHeaders, ...headers } }),
    };
  }

  return {
    rapport,
    database,
    config,
    request,
    clientWith,
    superuserQuery,
    async signup(workspaceName = `Workspace ${factory.random.integer(1, 1e9)}`) {
      const email = `owner.${randomUUID().slice(0, 8)}@example.com`;
      const response = await request<any>({ method: 'POST', url: '/api/v1/signup', body: { workspaceName, name: factory.personName(false), email, password: 'correct horse battery' } });
      if (response.statusCode !== 201) throw new Error(`signup failed: ${JSON.stringify(response.body)}`);
      const cookie = response.cookies.find((candidate) => candidate.name === 'rapport_session')!;
      const base = clientWith({ cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': response.body.csrfToken });
      return { ...base, tenantId: response.body.tenant.id, userId: response.body.user.id, csrfToken: response.body.csrfToken };
    },
    async close() {
      await rapport.close();
      await database.close();
      await drop();
    },
  };
}
