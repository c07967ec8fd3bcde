// Makes the benchmark database: drop and create `rapport_bench_<tier>`, let Rapport
// migrate it, then load the generated files with psql's \copy. Why psql and not
// pg-copy-streams: psql ships with every PostgreSQL client install (pgbench and pg_dump,
// which the ceilings use, come in the same package), it streams a file straight into COPY
// without the data passing through Node, and it adds no dependency to the project.
import pg from 'pg';
import { apiKeyPrefix, hashSecret, newSecret } from '../src/modules/identity/identity.tokens.js';
import type { GeneratedData } from './generate.js';
import { runCommand } from './processes.js';

export const contactColumns = 'tenant_id, id, name, email, phone, title, company_id, owner_id, created_at, updated_at';
const companyColumns = 'tenant_id, id, name, website, domain, email, phone, industry, city, country, owner_id, created_at, updated_at';
const userColumns = 'tenant_id, id, email, name, password_hash, role, locale, time_zone, created_at, updated_at, disabled_at';
const tenantColumns = 'id, name, slug, time_zone, created_at';

export function databaseUrlFor(adminUrl: string, databaseName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(adminUrl: string, databaseName: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${databaseName} with (force)`);
    await client.query(`create database ${databaseName}`);
  });
}

export async function migrateDatabase(databaseUrl: string): Promise<number> {
  const result = await runCommand(process.execPath, ['bin/rapport.js', 'migrate'], {
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, timeoutMs: 120_000,
  });
  return result.milliseconds;
}

/**
 * COPY a generated file into a table through psql. Foreign-key triggers are skipped
 * (session_replication_role = replica): the generator makes consistent rows by construction.
 */
export async function copyFile(databaseUrl: string, table: string, columns: string, file: string, checkForeignKeys = false): Promise<number> {
  const commands = checkForeignKeys ? [] : ['-c', 'set session_replication_role = replica'];
  const result = await runCommand('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...commands,
    '-c', `\\copy ${table} (${columns}) from '${file}' with (format text)`], { timeoutMs: 3_600_000 });
  return result.milliseconds;
}

export interface LoadReport {
  milliseconds: number;
  contactsPerSecond: number;
  /** VACUUM (ANALYZE) and the CHECKPOINT after it. */
  vacuumMilliseconds: number;
}

export async function loadGeneratedData(databaseUrl: string, data: GeneratedData): Promise<LoadReport> {
  const startedAt = performance.now();
  await copyFile(databaseUrl, 'tenant', tenantColumns, data.files.tenant);
  await copyFile(databaseUrl, 'app_user', userColumns, data.files.appUser);
  await copyFile(databaseUrl, 'company', companyColumns, data.files.company);
  await copyFile(databaseUrl, 'contact', contactColumns, data.files.measuredContacts);
  await copyFile(databaseUrl, 'contact', contactColumns, data.files.otherContacts);
  const milliseconds = performance.now() - startedAt;
  // What autovacuum does on a live server soon after a bulk insert: statistics, and the
  // visibility map, without which an index-only scan (a capped count) reads every heap page.
  // Done here because the bench's server may run without autovacuum (this machine's does).
  const vacuumStartedAt = performance.now();
  await withClient(databaseUrl, (client) => client.query('vacuum (analyze)'));
  // The load writes ~2 GB of WAL (tier S): without a checkpoint here, the one its last part set
  // off spreads its writes over the first minutes of measured reads (4½ minutes, seen once).
  await withClient(databaseUrl, (client) => client.query('checkpoint'));
  return { milliseconds, contactsPerSecond: data.counts.contacts / (milliseconds / 1000), vacuumMilliseconds: performance.now() - vacuumStartedAt };
}

/** Inserts an API key for the tenant's owner and returns its secret (only the hash is stored). */
export async function createApiKey(databaseUrl: string, tenantId: string, userId: string): Promise<string> {
  const secret = newSecret(apiKeyPrefix);
  await withClient(databaseUrl, (client) => client.query(
    `insert into api_key (tenant_id, id, name, prefix, secret_hash, user_id) values ($1, gen_random_uuid(), 'benchmark', $2, $3, $4)`,
    [tenantId, secret.slice(0, 12), hashSecret(secret), userId],
  ));
  return secret;
}

export async function readPostgresVersion(databaseUrl: string): Promise<string> {
  return withClient(databaseUrl, async (client) => (await client.query<{ server_version: string }>('show server_version')).rows[0].server_version);
}
