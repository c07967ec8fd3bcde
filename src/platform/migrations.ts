// Runs the ordered files of src/db/migrations (at start and by `rapport migrate`), then
// grants the app role what it needs on every table, so no migration has to repeat it.
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './db.js';
import { appRole } from './db.js';

const migrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url));
const migrationFile = /^\d{4}_[a-z0-9_]+\.(ts|js)$/;

let migrationFiles: Promise<string[]> | undefined;

/** The migration files, sorted; read once per process since they never change while it runs. */
function listMigrationFiles(): Promise<string[]> {
  migrationFiles ??= fs.readdir(migrationsDir).then((files) => files.filter((file) => migrationFile.test(file)).sort());
  return migrationFiles;
}

const nameOf = (file: string) => file.replace(/\.(ts|js)$/, '');

const provider: MigrationProvider = {
  async getMigrations() {
    const migrations: Record<string, Migration> = {};
    for (const file of await listMigrationFiles()) {
      migrations[nameOf(file)] = (await import(new URL(file, `file://${migrationsDir}`).href)) as Migration;
    }
    return migrations;
  },
};

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(database: Database): Promise<MigrationReport> {
  // Work lands from parallel branches, so a migration may arrive after a later-numbered one ran.
  const migrator = new Migrator({ db: database.kysely.withoutPlugins(), provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  await sql.raw(`
    grant usage on schema public to ${appRole};
    grant select, insert, update, delete on all tables in schema public to ${appRole};
    revoke all on kysely_migration, kysely_migration_lock from ${appRole};
    grant usage, select on all sequences in schema public to ${appRole};
  `).execute(database.kysely);
  return { applied: (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

/** True when every migration file has been applied (used by /health/ready). */
export async function isSchemaCurrent(database: Database): Promise<boolean> {
  const expected = (await listMigrationFiles()).map(nameOf);
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(database.kysely.withoutPlugins());
  const applied = new Set(rows.map((row) => row.name));
  return expected.every((name) => applied.has(name));
}
