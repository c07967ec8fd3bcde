// Migrating a fresh PGlite takes seconds; doing it once and handing every test file a copy
// of the migrated data directory keeps the integration suite fast. Not needed on PostgreSQL,
// where each test file gets a database of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, openPglite } from '../src/platform/db.js';
import { migrateToLatest } from '../src/platform/migrations.js';

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) return;
  const pglite = await openPglite(undefined);
  const database = await createDatabase({ pglite });
  await migrateToLatest(database);
  const dump = await pglite.dumpDataDir('none');
  const templatePath = path.join(os.tmpdir(), `rapport-test-template-${process.pid}.tar`);
  fs.writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  await pglite.close();
  project.provide('pgliteTemplate', templatePath);
  return () => fs.rmSync(templatePath, { force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
