// Imports as users see them: preview a file (headers, first rows, a suggested mapping),
// start an import (the upload is streamed to a file under the data directory, then a job
// reads it), follow its progress, download its rejected rows, undo it, keep mapping templates.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import type { Authorization } from '../../platform/authorization/authorization.js';
import { toCsvLine } from '../../platform/csv.js';
import type { Database } from '../../platform/db.js';
import { ConflictError, FieldError, NotFoundError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs.js';
import type { ImportProgress, ImportRunner, RunOptions } from './customers.import.job.js';
import { importJob } from './customers.import.job.js';
import { assertMappingValid, suggestMapping, type ImportMode, type ImportObject, type Mapping } from './customers.import.mapping.js';
import { detectDelimiter, ImportFileError, readCsvRecords, readFirstLine, type ImportEncoding } from './customers.import.parse.js';
import { importRepository as repository, type ImportRow } from './customers.import.repository.js';
import { undoJob } from './customers.import.undo.js';

export interface StartImport {
  object: ImportObject;
  mode: ImportMode;
  dryRun: boolean;
  mapping?: Mapping;
  template?: string;
  encoding?: ImportEncoding;
  fileName?: string;
}

export interface ImportServiceDeps {
  database: Database;
  authorization: Authorization;
  jobs: JobRunner;
  runner: ImportRunner;
  dataDir: string;
}

export function toImport(row: ImportRow) {
  return {
    id: row.id, object: row.object, mode: row.mode, dryRun: row.dryRun, status: row.status, fileName: row.fileName, mapping: row.mapping,
    progress: {
      rowsRead: Number(row.rowsRead), rowsTotal: row.rowsTotal === null ? null : Number(row.rowsTotal), created: Number(row.created), updated: Number(row.updated),
      skipped: Number(row.skipped), rejected: Number(row.rejected), bytesRead: Number(row.bytesRead), bytesTotal: Number(row.bytesTotal),
    },
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    undo: row.undoReport ?? null,
    createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
export type ImportView = ReturnType<typeof toImport>;

/** Header and first rows of a file: refuses an empty file or a header without rows. */
async function readHead(records: AsyncGenerator<{ rowNumber: number; values: string[] }>, rows: number) {
  const head: string[][] = [];
  for await (const record of records) {
    head.push(record.values);
    if (head.length > rows) break;
  }
  if (head.length === 0) throw new ImportFileError('import.empty_file', 'The file is empty');
  if (head.length === 1) throw new ImportFileError('import.no_rows', 'The file has a header line but no rows');
  return { headers: head[0], rows: head.slice(1) };
}

const previewBytes = 256 * 1024;

export function createImportService({ database, authorization, jobs, runner, dataDir }: ImportServiceDeps) {
  const uploadDir = path.join(dataDir, 'imports');

  async function permissionsFor(actor: Actor, object: ImportObject) {
    const permissions = await authorization.of(actor);
    permissions.assertCan('import', object);
    return permissions;
  }

  async function getRow(actor: Actor, id: string) {
    const row = await database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id));
    if (!row) throw new NotFoundError('import', id);
    await permissionsFor(actor, row.object);
    return row;
  }

  async function mappingFor(actor: Actor, input: StartImport, headers: string[]): Promise<Mapping> {
    if (input.mapping && input.template) throw new FieldError('import.mapping_and_template', 'template', 'Give a mapping or a template, not both');
    const customKeys = await database.forTenant(actor.tenantId, (trx) => repository.listCustomFieldKeys(trx, actor.tenantId, input.object));
    let mapping = input.mapping;
    if (input.template) {
      const templates = await database.forTenant(actor.tenantId, (trx) => repository.listTemplates(trx, actor.tenantId));
      mapping = templates.find((template) => template.object === input.object && template.name.toLowerCase() === input.template!.toLowerCase())?.mapping;
      if (!mapping) throw new FieldError('import.template_not_found', 'template', `No ${input.object} import template named "${input.template}"`);
    }
    mapping ??= suggestMapping(input.object, headers, customKeys);
    assertMappingValid(input.object, input.mode, headers, mapping, customKeys);
    const permissions = await authorization.of(actor);
    // Custom fields are checked as customFields.<key>, the name field rules give them.
    permissions.assertWritable(input.object, Object.fromEntries(Object.values(mapping).filter((field) => field !== 'companyName').map((field) => [field, true])));
    return mapping;
  }

  /** Checks the file's head and the mapping, then records the import; nothing is read beyond the head yet. */
  async function register(actor: Actor, input: StartImport, filePath: string): Promise<ImportRow> {
    const encoding = input.encoding ?? 'utf-8';
    const delimiter = detectDelimiter(await readFirstLine(filePath, encoding));
    const { headers } = await readHead(readCsvRecords(fs.createReadStream(filePath), { encoding, delimiter }), 1);
    const mapping = await mappingFor(actor, input, headers);
    const id = uuidv7();
    await database.forTenant(actor.tenantId, (trx) => repository.insertImport(trx, {
      tenantId: actor.tenantId, id, object: input.object, mode: input.mode, dryRun: input.dryRun, status: 'queued',
      fileName: input.fileName ?? path.basename(filePath), filePath, encoding, delimiter, mapping, headers, createdBy: actor.userId,
      actor: { ...actor } as Record<string, unknown>, bytesTotal: String(fs.statSync(filePath).size),
    }));
    return (await database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id)))!;
  }

  return {
    async preview(actor: Actor, object: ImportObject, body: Readable, encoding: ImportEncoding = 'utf-8') {
      await permissionsFor(actor, object);
      // A preview needs the first rows only: the web app sends the file's first 256 KB.
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size > previewBytes) break;
      }
      let head = Buffer.concat(chunks);
      if (size > previewBytes) head = head.subarray(0, head.lastIndexOf(10) + 1);
      const delimiter = detectDelimiter(head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]);
      const rest = Readable.from([head]);
      const { headers, rows } = await readHead(readCsvRecords(rest, { encoding, delimiter }), 10);
      const customKeys = await database.forTenant(actor.tenantId, (trx) => repository.listCustomFieldKeys(trx, actor.tenantId, object));
      return { headers, rows, delimiter, suggestedMapping: suggestMapping(object, headers, customKeys), customFields: customKeys };
    },

    /** Streams the upload to a file (never held whole in memory), records the import and queues its job. */
    async start(actor: Actor, input: StartImport, body: Readable): Promise<ImportView> {
      await permissionsFor(actor, input.object);
      await fs.promises.mkdir(uploadDir, { recursive: true });
      const filePath = path.join(uploadDir, `${uuidv7()}.upload.csv`);
      try {
        await pipeline(body, fs.createWriteStream(filePath));
        const row = await register(actor, input, filePath);
        await jobs.send(importJob, { tenantId: actor.tenantId, importId: row.id });
        return toImport(row);
      } catch (error) {
        await fs.promises.rm(filePath, { force: true });
        throw error;
      }
    },

    /** The CLI's import: the file is read in place; an unfinished import of the same file resumes. */
    async runFromFile(actor: Actor, input: StartImport, filePath: string, options: RunOptions = {}): Promise<{ importId: string; resumed: boolean; progress: ImportProgress }> {
      await permissionsFor(actor, input.object);
      const absolute = path.resolve(filePath);
      const size = fs.statSync(absolute).size;
      let importId = await database.forTenant(actor.tenantId, (trx) => repository.findUnfinishedByPath(trx, actor.tenantId, absolute, size));
      const resumed = importId !== undefined;
      importId ??= (await register(actor, input, absolute)).id;
      return { importId, resumed, progress: await runner.run(actor.tenantId, importId, options) };
    },

    async get(actor: Actor, id: string): Promise<ImportView> {
      return toImport(await getRow(actor, id));
    },

    async list(actor: Actor): Promise<ImportView[]> {
      const ids = await database.forTenant(actor.tenantId, (trx) => repository.listIds(trx, actor.tenantId, 50));
      const rows = await Promise.all(ids.map((id) => database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id))));
      const permissions = await authorization.of(actor);
      return rows.filter((row): row is ImportRow => row !== undefined && permissions.can('import', row.object)).map(toImport);
    },

    /** The rejected rows as CSV, in pages: row number, reason, then the row's own values. */
    async *errorsCsv(actor: Actor, id: string): AsyncGenerator<string> {
      const row = await getRow(actor, id);
      yield toCsvLine(['row', 'code', 'field', 'message', ...row.headers]);
      let after = 0;
      for (;;) {
        const errors = await database.forTenant(actor.tenantId, (trx) => repository.listErrors(trx, actor.tenantId, id, after, 2000));
        if (errors.length === 0) return;
        yield errors.map((error) => toCsvLine([error.rowNumber, error.code, error.field, error.message, ...error.rowValues])).join('');
        after = Number(errors[errors.length - 1].rowNumber);
      }
    },

    async undo(actor: Actor, id: string): Promise<ImportView> {
      const row = await getRow(actor, id);
      const permissions = await authorization.of(actor);
      permissions.assertCan('delete', row.object);
      permissions.assertCan('update', row.object);
      if (row.status !== 'completed' || row.dryRun) {
        throw new ConflictError('import.not_undoable', 'status', row.dryRun ? 'A dry run wrote nothing to undo' : `An import that is ${row.status} cannot be undone`);
      }
      await database.forTenant(actor.tenantId, (trx) => repository.setStatus(trx, actor.tenantId, id, { status: 'undoing' }));
      await jobs.send(undoJob, { actor, importId: id });
      return toImport((await database.forTenant(actor.tenantId, (trx) => repository.find(trx, actor.tenantId, id)))!);
    },

    async listTemplates(actor: Actor) {
      const rows = await database.forTenant(actor.tenantId, (trx) => repository.listTemplates(trx, actor.tenantId));
      return rows.map((row) => ({ id: row.id, name: row.name, object: row.object, mapping: row.mapping, createdAt: row.createdAt.toISOString() }));
    },

    async createTemplate(actor: Actor, input: { name: string; object: ImportObject; mapping: Mapping }) {
      await permissionsFor(actor, input.object);
      const id = uuidv7();
      try {
        await database.forTenant(actor.tenantId, (trx) => repository.insertTemplate(trx, actor.tenantId, { id, ...input, name: input.name.trim() }));
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictError('import.template_name_taken', 'name', 'A template with this name already exists');
        throw error;
      }
      return { id, ...input, name: input.name.trim(), createdAt: new Date().toISOString() };
    },

    async deleteTemplate(actor: Actor, id: string) {
      const permissions = await authorization.of(actor);
      if (!permissions.can('import', 'contact') && !permissions.can('import', 'company')) permissions.assertCan('import', 'contact');
      const deleted = await database.forTenant(actor.tenantId, (trx) => repository.deleteTemplate(trx, actor.tenantId, id));
      if (!deleted) throw new NotFoundError('import_template', id);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
