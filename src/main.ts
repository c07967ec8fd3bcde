// The `rapport` command line: start, migrate, seed. Each subcommand has --help.
// First, so that V8 is set up before any other module allocates.
import './platform/v8-tuning.js';
import { Command, Option } from 'commander';
import { buildApp, createLogger, openDatabase, version, type Rapport } from './app.js';
import { ConfigError, loadConfig, type Config, type ProcessRole } from './config.js';
import { demoCredentials, seedDemoWorkspace } from './demo.js';
import { DataDirLockedError } from './platform/data-dir-lock.js';
import { verifyAllChains } from './platform/change-log.js';
import { CommandError, describeImport, resolveCommandActor, runExportCommand, runImportCommand, type ImportCommandOptions } from './modules/customers/index.js';
import { describeScan, runDuplicateScanCommand } from './modules/customers/index.js';
import { migrateToLatest } from './platform/migrations.js';
import { loadSheddingSampleIntervalMs } from './platform/http/server.js';
import { merged } from './platform/objects.js';

function fail(message: string): never {
  console.error(`rapport: ${message}`);
  process.exit(1);
}

function readConfig(overrides: Partial<Config> = {}): Config {
  try {
    return merged(loadConfig(), overrides);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof ConfigError) fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`${(error as Error).message}. Set PORT to a free port.`);
    if (code === 'ECONNREFUSED') fail(`Cannot reach the database at DATABASE_URL: ${(error as Error).message}`);
    throw error;
  }
}

function stopOnSignals(rapport: Rapport) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rapport.logger.info({ signal }, 'stopping');
    await rapport.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function start(options: { role?: ProcessRole }) {
  const startedAt = performance.now();
  const config = readConfig(options.role ? { role: options.role } : {});
  const rapport = await run(() => buildApp(config, { healthOnly: config.role === 'worker' }));
  stopOnSignals(rapport);
  const { identity } = rapport.services;
  const seeded = config.demoSeed && config.role !== 'worker' && !(await identity.hasAnyWorkspace());
  if (seeded) await seedDemoWorkspace(rapport.services);
  await rapport.jobs.start({ work: config.role !== 'api' });
  const address = await run(() => rapport.app.listen({ port: config.port, host: config.host }));
  await waitUntilNotShedding(rapport.app);
  const url = config.publicUrl ?? address.replace('127.0.0.1', 'localhost');
  const database = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  console.log(`\nRapport ${version} (${config.role}) is running at ${url}  [${database}, ready in ${Math.round(performance.now() - startedAt)} ms]`);
  if (config.role !== 'worker') {
    console.log(`API reference: ${url}/docs`);
    if (seeded || config.demoSeed) console.log(`Demo sign-in: ${demoCredentials.email} / ${demoCredentials.password}`);
  }
  console.log('Press Ctrl+C to stop.\n');
}

/**
 * Start-up blocks the event loop (migrations, WASM PostgreSQL), which load shedding reads as
 * overload until its next sample of the loop's delay. The banner promises a server that
 * answers, so wait for one sample taken after start-up, then for the reading to be calm.
 */
async function waitUntilNotShedding(app: { isUnderPressure?: () => boolean }) {
  if (!app.isUnderPressure) return;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(loadSheddingSampleIntervalMs + 50);
  for (let waited = 0; app.isUnderPressure() && waited < 10_000; waited += 100) await sleep(100);
}

async function migrate() {
  const config = readConfig();
  const logger = createLogger(config);
  const database = await run(() => openDatabase(config, logger));
  try {
    const { applied } = await migrateToLatest(database);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database schema is current.');
  } finally {
    await database.close();
  }
}

async function seed(options: { companies: string; contacts: string }) {
  const config = readConfig({ logLevel: 'warn' });
  const rapport = await run(() => buildApp(config));
  try {
    const sizes = { companies: Number(options.companies), contacts: Number(options.contacts) };
    if (!Number.isInteger(sizes.companies) || !Number.isInteger(sizes.contacts) || sizes.companies < 1 || sizes.contacts < 0) {
      fail('--companies and --contacts take whole numbers');
    }
    const { tenant } = await seedDemoWorkspace(rapport.services, sizes);
    console.log(`Created workspace "${tenant.name}" with ${sizes.companies} companies and ${sizes.contacts} contacts.`);
    console.log(`Sign in as ${demoCredentials.email} / ${demoCredentials.password}`);
  } catch (error) {
    if ((error as { code?: string }).code === 'auth.email_taken') fail('The demo workspace already exists in this database.');
    throw error;
  } finally {
    await rapport.close();
  }
}

async function rotateKeys(options: { workspace: string[] }) {
  const config = readConfig({ logLevel: 'warn' });
  const rapport = await run(() => buildApp(config, { healthOnly: true }));
  try {
    for (const tenantId of options.workspace) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)) fail(`--workspace takes workspace ids (uuids), got "${tenantId}"`);
      const { keyVersion, changed } = await rapport.services.encryption.rotateNow(tenantId).catch((error: Error) => fail(error.message));
      console.log(`workspace ${tenantId}: key version ${keyVersion}, ${changed} value(s) re-encrypted, older versions retired`);
    }
  } finally {
    await rapport.close();
  }
}

async function verifyAudit(options: { workspace?: string[] }) {
  const config = readConfig({ logLevel: 'warn' });
  const database = await run(() => openDatabase(config, createLogger(config)));
  try {
    await migrateToLatest(database);
    const reports = await verifyAllChains(database, options.workspace);
    let broken = 0;
    for (const report of reports) {
      if (report.firstBrokenSeq === null) {
        console.log(`workspace ${report.tenantId}: ${report.checked} change(s), chain intact`);
      } else {
        broken++;
        console.log(`workspace ${report.tenantId}: BROKEN at change ${report.firstBrokenSeq} (the ${report.checked} before it are intact)`);
      }
    }
    console.log(broken ? `${broken} of ${reports.length} workspace chain(s) broken.` : `All ${reports.length} workspace chain(s) intact.`);
    process.exitCode = broken ? 2 : 0;
  } finally {
    await database.close();
  }
}

const objectNames: Record<string, 'contact' | 'company'> = { contacts: 'contact', companies: 'company' };

function objectOf(name: string) {
  const object = objectNames[name];
  if (!object) fail(`Import and export work on contacts or companies, not "${name}"`);
  return object;
}

/** Runs a customers command in-process as a workspace user; a CommandError is a one-line failure. */
async function asWorkspaceUser<T>(options: { workspace?: string; as?: string }, work: (rapport: Rapport, actor: Awaited<ReturnType<typeof resolveCommandActor>>) => Promise<T>) {
  const config = readConfig({ logLevel: 'warn' });
  const rapport = await run(() => buildApp(config, { healthOnly: true }));
  try {
    return await work(rapport, await resolveCommandActor(rapport.database, options));
  } catch (error) {
    if (error instanceof CommandError) fail(error.message);
    throw error;
  } finally {
    await rapport.close();
  }
}

async function importFile(objectName: string, file: string, options: ImportCommandOptions & { workspace?: string; as?: string }) {
  const object = objectOf(objectName);
  const result = await asWorkspaceUser(options, (rapport, actor) => runImportCommand(rapport.services.imports, actor, object, file, options));
  console.log(describeImport(result, options.dryRun ?? false));
  if (result.progress.status === 'failed') process.exitCode = 1;
}

async function exportList(objectName: string, options: { format?: 'csv' | 'json'; out?: string; workspace?: string; as?: string }) {
  const object = objectOf(objectName);
  const rows = await asWorkspaceUser(options, (rapport, actor) => runExportCommand(rapport.services.exports, actor, object, options));
  if (options.out) console.log(`Exported ${rows} ${objectName} to ${options.out}`);
}

async function scanDuplicates(objectName: string, options: { workspace?: string; as?: string }) {
  const object = objectNames[objectName];
  if (!object) fail(`Duplicate scans work on contacts or companies, not "${objectName}"`);
  const scan = await asWorkspaceUser(options, (rapport, actor) => runDuplicateScanCommand(rapport.services.duplicates, actor, object));
  console.log(describeScan(scan, objectName));
  if (scan.status !== 'completed') process.exitCode = 1;
}

const program = new Command('rapport')
  .description('Rapport, the open-source CRM. Settings come from environment variables: see the README.')
  .version(version);

program.command('start')
  .description('Run Rapport: migrate the database, create the demo workspace on first start, serve the API and the web app')
  .addOption(new Option('--role <role>', 'all: API and workers; api: HTTP only; worker: background jobs only').choices(['all', 'api', 'worker']))
  .action(start);

program.command('migrate')
  .description('Apply pending database migrations and exit')
  .action(migrate);

program.command('seed')
  .description('Create the demo workspace (demo@rapport.local) with generated companies and contacts')
  .option('--companies <n>', 'how many companies', '30')
  .option('--contacts <n>', 'how many contacts', '150')
  .action(seed);

program.command('audit')
  .description('Work with the change log')
  .command('verify')
  .description("Recompute each workspace's hash chain and report the first broken link (exit code 2 if any)")
  .option('--workspace <id...>', 'only these workspace ids')
  .action(verifyAudit);

program.command('keys')
  .description('Manage field-encryption keys (docs/security.md)')
  .command('rotate')
  .description("Make a new data key for each workspace and re-encrypt its encrypted fields with it, in batches, while Rapport keeps running")
  .requiredOption('--workspace <id...>', 'workspace ids')
  .action(rotateKeys);

program.command('import')
  .description('Import contacts or companies from a CSV file (docs/import-export.md); rerun the same command to resume an interrupted import')
  .argument('<object>', 'contacts or companies')
  .argument('<file>', 'the CSV file')
  .option('--mapping <json>', 'column → field, e.g. \'{"E-mail":"email"}\' (default: suggested from the headers)')
  .option('--template <name>', 'a saved mapping template')
  .addOption(new Option('--upsert <key>', 'update records matching on this key instead of skipping them').choices(['email', 'external-id']))
  .option('--dry-run', 'count what would be created, updated, skipped and rejected; write nothing')
  .addOption(new Option('--encoding <encoding>', 'the file encoding').choices(['utf-8', 'latin1', 'gb18030']).default('utf-8'))
  .option('--workspace <slug>', 'the workspace (needed when there are several)')
  .option('--as <email>', 'act as this user (default: the workspace owner)')
  .option('--batch-size <n>', 'rows per transaction (default 5000)')
  .action(importFile);

program.command('export')
  .description('Export contacts or companies as CSV or JSON')
  .argument('<object>', 'contacts or companies')
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'json']).default('csv'))
  .option('--out <file>', 'write to this file (default: standard output)')
  .option('--workspace <slug>', 'the workspace (needed when there are several)')
  .option('--as <email>', 'act as this user (default: the workspace owner)')
  .action(exportList);

program.command('duplicates')
  .description('Find likely duplicates (docs/search-and-duplicates.md)')
  .command('scan')
  .description('Scan all contacts or companies of a workspace for likely duplicates and fill the review queue; rerun to resume')
  .argument('<object>', 'contacts or companies')
  .option('--workspace <slug>', 'the workspace (needed when there are several)')
  .option('--as <email>', 'act as this user (default: the workspace owner)')
  .action(scanDuplicates);

await program.parseAsync(process.argv);
