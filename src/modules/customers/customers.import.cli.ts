// `rapport import contacts FILE`: the same import service the API uses, in-process, on the embedded database or DATABASE_URL. The command
// acts as a user of the workspace (the first owner, or --as), so rows get an owner and the
// change log says who imported them.
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { sql } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { Database } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { ImportProgress } from './customers.import.job.js';
import type { ImportMode, ImportObject, Mapping } from './customers.import.mapping.js';
import type { ImportEncoding } from './customers.import.parse.js';
import type { ImportService } from './customers.import.service.js';

export class CommandError extends Error {}

/** The workspace (by slug, or the only one) and the user the command acts as. */
export async function resolveCommandActor(database: Database, options: { workspace?: string; as?: string }): Promise<Actor> {
  return database.forAuthLookup(async (trx) => {
    const { rows: tenants } = await sql<{ id: string; slug: string }>`select id, slug from tenant
      where ${options.workspace ? sql`slug = ${options.workspace}` : sql`true`} order by created_at limit 2`.execute(trx);
    if (tenants.length === 0) throw new CommandError(options.workspace ? `No workspace with slug "${options.workspace}"` : 'There is no workspace yet');
    if (tenants.length > 1) throw new CommandError(`There are several workspaces: name one with --workspace <slug> (e.g. ${tenants.map((tenant) => tenant.slug).join(', ')})`);
    const tenantId = tenants[0].id;
    const { rows: users } = await sql<{ id: string; name: string; role: string }>`select id, name, role from app_user
      where tenant_id = ${tenantId} and ${options.as ? sql`email = ${options.as.toLowerCase()}` : sql`role = 'owner'`} order by created_at limit 1`.execute(trx);
    if (users.length === 0) throw new CommandError(options.as ? `No user ${options.as} in workspace ${tenants[0].slug}` : `Workspace ${tenants[0].slug} has no owner`);
    return { tenantId, userId: users[0].id, name: users[0].name, type: 'user', role: users[0].role };
  });
}

export interface ImportCommandOptions {
  mapping?: string;
  template?: string;
  upsert?: 'email' | 'external-id';
  dryRun?: boolean;
  encoding?: ImportEncoding;
  batchSize?: string;
}

function parseMappingOption(text: string | undefined): Mapping | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Mapping;
  } catch {
    throw new CommandError('--mapping takes JSON, e.g. \'{"Full name":"name","E-mail":"email"}\'');
  }
}

/** A progress bar on a terminal; a line per batch otherwise (logs, pipes, tests). */
function progressReporter() {
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  let started = false;
  return {
    update(progress: ImportProgress) {
      if (!bar) {
        process.stderr.write(`imported ${progress.rowsRead} of ${progress.rowsTotal ?? '?'} rows\n`);
        return;
      }
      if (!started && progress.rowsTotal !== null) {
        bar.start(progress.rowsTotal, progress.rowsRead);
        started = true;
      }
      bar.update(progress.rowsRead);
    },
    stop: () => bar?.stop(),
  };
}

export async function runImportCommand(imports: ImportService, actor: Actor, object: ImportObject, file: string, options: ImportCommandOptions) {
  if (!fs.existsSync(file)) throw new CommandError(`No file ${file}`);
  const mode: ImportMode = options.upsert === 'email' ? 'upsert_email' : options.upsert === 'external-id' ? 'upsert_external_id' : 'create';
  const batchSize = options.batchSize ? Number(options.batchSize) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000)) throw new CommandError('--batch-size takes a whole number from 1 to 50000');
  const reporter = progressReporter();
  try {
    const result = await imports.runFromFile(actor, {
      object, mode, dryRun: options.dryRun ?? false, mapping: parseMappingOption(options.mapping), template: options.template, encoding: options.encoding,
    }, file, { batchSize, onProgress: reporter.update });
    reporter.stop();
    return result;
  } catch (error) {
    reporter.stop();
    if (error instanceof AppError) throw new CommandError(`${error.message} (${error.code})`);
    throw error;
  }
}

export function describeImport(result: { importId: string; resumed: boolean; progress: ImportProgress }, dryRun: boolean): string {
  const { progress } = result;
  const verb = dryRun ? 'would be ' : '';
  return [
    `${result.resumed ? 'Resumed' : 'Ran'} import ${result.importId}: ${progress.status}${dryRun ? ' (dry run: nothing written)' : ''}`,
    `rows ${progress.rowsRead}: ${verb}created ${progress.created}, ${verb}updated ${progress.updated}, skipped as duplicates ${progress.skipped}, rejected ${progress.rejected}`,
  ].join('\n');
}
