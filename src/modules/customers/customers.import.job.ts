// Running an import: check the whole file first (a bad file writes nothing), then read it as
// a stream in batches. Each batch commits its records, change-log rows, rejected rows and the
// import's checkpoint (rows read, counters) in one transaction, so a restarted run skips
// exactly the rows already committed: none twice, none lost.
import fs from 'node:fs';
import type { Actor } from '../../platform/actor.js';
import type { Authorization } from '../../platform/authorization/authorization.js';
import type { Database } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { AppError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs.js';
import { merged } from '../../platform/objects.js';
import { assertMappingValid, compileMapping, mapRow, type ImportObject } from './customers.import.mapping.js';
import { readCsvFile, type CsvRecord, type ImportEncoding } from './customers.import.parse.js';
import { importRepository as repository, type ImportRow } from './customers.import.repository.js';
import { runUndo, undoJob } from './customers.import.undo.js';
import { writeBatch, type BatchContext, type BatchRow } from './customers.import.writer.js';

export const importJob = 'customers.import';
export const defaultBatchSize = 5000;

export interface ImportProgress {
  status: ImportRow['status'];
  rowsRead: number;
  rowsTotal: number | null;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
}

export interface RunOptions {
  batchSize?: number;
  maxRecordSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportRunnerDeps {
  database: Database;
  authorization: Authorization;
  encryption: FieldEncryption;
}

const toProgress = (row: ImportRow): ImportProgress => ({
  status: row.status, rowsRead: Number(row.rowsRead), rowsTotal: row.rowsTotal === null ? null : Number(row.rowsTotal),
  created: Number(row.created), updated: Number(row.updated), skipped: Number(row.skipped), rejected: Number(row.rejected),
});

/** Reads the file to its end once: counts its rows and finds file-level problems before any write. */
async function scanFile(row: ImportRow, maxRecordSize?: number): Promise<number> {
  let rows = 0;
  for await (const record of readCsvFile(row.filePath, { encoding: row.encoding as ImportEncoding, delimiter: row.delimiter ?? undefined, maxRecordSize })) {
    rows = record.rowNumber - 1;
  }
  return rows;
}

export function createImportRunner({ database, authorization, encryption }: ImportRunnerDeps) {
  const load = (tenantId: string, importId: string) => database.forTenant(tenantId, (trx) => repository.find(trx, tenantId, importId));

  async function fail(tenantId: string, importId: string, error: unknown) {
    const known = error instanceof AppError;
    await database.forTenant(tenantId, (trx) => repository.setStatus(trx, tenantId, importId, {
      status: 'failed', finished: true, errorCode: known ? error.code : 'import.failed',
      errorMessage: known ? error.message : `The import stopped: ${(error as Error).message}`,
    }));
  }

  async function importRows(row: ImportRow, options: RunOptions) {
    const tenantId = row.tenantId;
    const actor = row.actor as unknown as Actor;
    const permissions = await authorization.of(actor);
    permissions.assertCan('import', row.object);
    const context: BatchContext = {
      actor, permissions, object: row.object, mode: row.mode, dryRun: row.dryRun, importId: row.id, seenKeys: new Set(),
      cipherWithKey: (trx) => encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true }),
    };
    let committed = Number(row.rowsRead);
    if (row.dryRun && committed > 0) {
      await database.forTenant(tenantId, (trx) => repository.resetProgress(trx, tenantId, row.id));
      committed = 0;
    }
    let headers: string[] = [];
    let columns: ReturnType<typeof compileMapping> = [];
    let batch: BatchRow[] = [];
    let last: CsvRecord | undefined;
    // One batch commits while the next is read and checked: the database, not the parser, sets
    // the pace. Batches still commit one at a time and in order, each with its checkpoint.
    let committing: Promise<void> = Promise.resolve();
    const commit = async (rows: BatchRow[], checkpoint: { rowsRead: number; bytesRead: number }) => {
      const progress = await database.forTenant(tenantId, async (trx) => {
        if (row.object === 'contact') context.cipher = await encryption.cipherFor(trx, tenantId, { forWriting: true });
        const counts = await writeBatch(trx, context, rows);
        await repository.recordProgress(trx, tenantId, row.id, merged(counts, checkpoint));
        return (await repository.find(trx, tenantId, row.id))!;
      });
      options.onProgress?.(toProgress(progress));
    };
    const flush = async () => {
      await committing;
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const started = commit(rows, { rowsRead: last!.rowNumber - 1, bytesRead: last!.bytesRead });
      // Awaited at the next flush; the catch only keeps a failure from going unhandled meanwhile.
      started.catch(() => undefined);
      committing = started;
    };
    for await (const record of readCsvFile(row.filePath, { encoding: row.encoding as ImportEncoding, delimiter: row.delimiter ?? undefined, maxRecordSize: options.maxRecordSize })) {
      if (record.rowNumber === 1) {
        headers = record.values;
        assertMappingValid(row.object, row.mode, headers, row.mapping, Object.values(row.mapping).filter((field) => field.startsWith('customFields.')).map((field) => field.slice(13)));
        columns = compileMapping(headers, row.mapping);
        continue;
      }
      if (record.rowNumber - 1 <= committed) continue;
      last = record;
      batch.push({ rowNumber: record.rowNumber, values: record.values, mapped: mapRow(row.object, headers.length, columns, record.values) });
      if (batch.length >= (options.batchSize ?? defaultBatchSize)) await flush();
    }
    await flush();
    await committing;
  }

  return {
    /** Runs (or resumes) the import to its end. A file-level problem marks it failed, with nothing written. */
    async run(tenantId: string, importId: string, options: RunOptions = {}): Promise<ImportProgress> {
      let row = await load(tenantId, importId);
      if (!row) throw new Error(`No import ${importId}`);
      if (row.status === 'completed' || row.status === 'failed' || row.status === 'undone' || row.status === 'undoing') return toProgress(row);
      try {
        if (row.rowsTotal === null) {
          const rowsTotal = await scanFile(row, options.maxRecordSize);
          await database.forTenant(tenantId, (trx) => repository.setStatus(trx, tenantId, importId, { status: 'running', rowsTotal }));
        } else if (row.status === 'queued') {
          await database.forTenant(tenantId, (trx) => repository.setStatus(trx, tenantId, importId, { status: 'running' }));
        }
        row = (await load(tenantId, importId))!;
        options.onProgress?.(toProgress(row));
        await importRows(row, options);
        await database.forTenant(tenantId, (trx) => repository.setStatus(trx, tenantId, importId, { status: 'completed', finished: true }));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await fail(tenantId, importId, error);
      }
      const finished = (await load(tenantId, importId))!;
      if (finished.status === 'completed' || finished.status === 'failed') await removeUpload(finished.filePath);
      return toProgress(finished);
    },
    toProgress,
  };
}

async function removeUpload(filePath: string) {
  // Only files the API stored are removed; a CLI import reads the user's own file in place.
  if (filePath.endsWith('.upload.csv')) await fs.promises.rm(filePath, { force: true });
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
export type { ImportObject };

/** The import and undo jobs on pg-boss; a failed run retries and resumes from its checkpoint. */
export function registerImportJobs(jobs: JobRunner, { runner, database, authorization }: { runner: ImportRunner; database: Database; authorization: Authorization }) {
  jobs.define<{ tenantId: string; importId: string }>({
    name: importJob, retry: { limit: 5, delaySeconds: 5 },
    run: async ({ tenantId, importId }) => {
      await runner.run(tenantId, importId);
    },
  });
  jobs.define<{ actor: Actor; importId: string }>({
    name: undoJob, retry: { limit: 5, delaySeconds: 5 },
    run: async ({ actor, importId }) => {
      await runUndo({ database, authorization }, actor, importId);
    },
  });
}
