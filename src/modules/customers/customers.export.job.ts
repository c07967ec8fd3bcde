// Large exports as a job: the same stream as the direct download, written to a file under
// the data directory with its row count as progress, then downloaded. Files are removed
// after the retention period by an hourly job; a download after that is 410 Gone.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import type { Authorization } from '../../platform/authorization/authorization.js';
import type { Database } from '../../platform/db.js';
import { AppError, NotFoundError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs.js';
import { exportRepository as repository, type ExportRow } from './customers.export.repository.js';
import type { ExportFormat, ExportObject, ExportQuery, ExportService } from './customers.export.service.js';

export const exportJob = 'customers.export';
export const exportPurgeJob = 'customers.export-purge';
export const exportRetentionHours = 24;

export interface ExportJobDeps {
  database: Database;
  authorization: Authorization;
  exports: ExportService;
  jobs: JobRunner;
  dataDir: string;
}

export function toExport(row: ExportRow) {
  return {
    id: row.id, object: row.object, format: row.format, status: row.status, rowsWritten: Number(row.rowsWritten), error: row.errorMessage,
    createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.finishedAt ? new Date(row.finishedAt.getTime() + exportRetentionHours * 3600_000).toISOString() : null,
  };
}

export function createExportJobs({ database, authorization, exports, jobs, dataDir }: ExportJobDeps) {
  const exportDir = path.join(dataDir, 'exports');

  async function getRow(actor: Actor, id: string) {
    const row = await database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id));
    if (!row) throw new NotFoundError('export', id);
    (await authorization.of(actor)).assertCan('export', row.object);
    return row;
  }

  async function run(tenantId: string, id: string) {
    const row = await database.forTenant(tenantId, (trx) => repository.find(trx, tenantId, id));
    if (!row || row.status === 'completed' || row.status === 'expired') return;
    const actor = row.actor as unknown as Actor;
    await fs.promises.mkdir(exportDir, { recursive: true });
    const filePath = path.join(exportDir, `${id}.${row.format}`);
    const progress = (rowsWritten: number) => database.forTenant(tenantId, (trx) => repository.update(trx, tenantId, id, { status: 'running', rowsWritten }));
    try {
      // A rerun after a crash starts the file again: an export writes nothing but the file.
      await pipeline(Readable.from(exports.stream(actor, row.object, row.format, row.query as ExportQuery, progress)), fs.createWriteStream(filePath));
      await database.forTenant(tenantId, (trx) => repository.update(trx, tenantId, id, { status: 'completed', filePath, finished: true }));
    } catch (error) {
      await fs.promises.rm(filePath, { force: true });
      if (!(error instanceof AppError)) throw error;
      await database.forTenant(tenantId, (trx) => repository.update(trx, tenantId, id, { status: 'failed', errorMessage: error.message, finished: true }));
    }
  }

  /** Deletes export files past the retention period (by file age: no cross-workspace query needed). */
  async function purge(now = Date.now()) {
    const files = await fs.promises.readdir(exportDir).catch(() => [] as string[]);
    for (const file of files) {
      const filePath = path.join(exportDir, file);
      const stat = await fs.promises.stat(filePath).catch(() => undefined);
      if (stat && now - stat.mtimeMs > exportRetentionHours * 3600_000) await fs.promises.rm(filePath, { force: true });
    }
  }

  jobs.define<{ tenantId: string; exportId: string }>({ name: exportJob, retry: { limit: 3, delaySeconds: 10 }, run: ({ tenantId, exportId }) => run(tenantId, exportId) });
  jobs.define({ name: exportPurgeJob, cron: '17 * * * *', run: () => purge() });

  return {
    async start(actor: Actor, input: { object: ExportObject; format: ExportFormat; query: ExportQuery }) {
      await exports.columns(actor, input.object);
      const id = uuidv7();
      await database.forTenant(actor.tenantId, (trx) => repository.insert(trx, actor.tenantId, { id, ...input, query: input.query as Record<string, unknown>, actor: { ...actor } }));
      await jobs.send(exportJob, { tenantId: actor.tenantId, exportId: id });
      return toExport((await database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id)))!);
    },

    async get(actor: Actor, id: string) {
      return toExport(await getRow(actor, id));
    },

    /** The finished file as a stream, with its name; 409 before it is done, 410 after retention. */
    async download(actor: Actor, id: string): Promise<{ stream: fs.ReadStream; fileName: string; format: ExportFormat }> {
      const row = await getRow(actor, id);
      if (row.status !== 'completed' || !row.filePath) throw new AppError(409, 'export.not_ready', `The export is ${row.status}`);
      if (!fs.existsSync(row.filePath)) throw new AppError(410, 'export.expired', `Export files are kept ${exportRetentionHours} hours; start a new export`);
      return { stream: fs.createReadStream(row.filePath), fileName: `${row.object === 'contact' ? 'contacts' : 'companies'}-${id}.${row.format}`, format: row.format };
    },

    run,
    purge,
  };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;
