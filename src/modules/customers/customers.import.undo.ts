// Undoing an import: deletes the records it created and puts back the values of those it
// updated, in batches, each with its change-log rows and the undo's own checkpoint (a cursor
// over import_record) in one transaction. A record changed since the import (its updated_at
// is not the one the import left) or deleted since, or outside the undoer's delete or update
// scope, is left alone and reported.
import type { Actor } from '../../platform/actor.js';
import type { Authorization, Permissions } from '../../platform/authorization/authorization.js';
import { appendChanges, type ChangeEntry } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import type { ImportObject } from './customers.import.mapping.js';
import { importColumns, importRepository as repository, type StoredRecord } from './customers.import.repository.js';

export const undoJob = 'customers.import-undo';
const maxReportedConflicts = 1000;

export interface UndoReport {
  cursor: string | null;
  deleted: number;
  restored: number;
  conflictCount: number;
  conflicts: Array<{ recordId: string; reason: 'changed_since_import' | 'deleted_since_import' | 'not_permitted' }>;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
const loggedColumns = (object: ImportObject, values: Record<string, unknown>) =>
  Object.fromEntries(importColumns[object].filter((column) => column !== 'phone_index').map((column) => [camel(column), values[column] ?? null]));
const storedColumns = (object: ImportObject, record: StoredRecord) =>
  Object.fromEntries(importColumns[object].map((column) => [column, record[camel(column)] ?? null]));

async function undoBatch(trx: Trx, permissions: Permissions, object: ImportObject, importId: string, report: UndoReport, batchSize: number): Promise<boolean> {
  const actor = permissions.actor;
  const records = await repository.listImportRecords(trx, actor.tenantId, importId, report.cursor, batchSize);
  if (records.length === 0) return false;
  const current = new Map((await repository.findByIds(trx, actor.tenantId, object, records.map((record) => record.recordId), true)).map((record) => [record.id, record]));
  const deletes: string[] = [];
  const restores: Array<{ id: string; columns: Record<string, unknown> }> = [];
  const changes: ChangeEntry[] = [];
  for (const record of records) {
    const now = current.get(record.recordId);
    const action = record.action === 'created' ? 'delete' : 'update';
    const reason = !now ? 'deleted_since_import'
      : now.updatedAt.getTime() !== new Date(record.leftAt).getTime() ? 'changed_since_import'
        : !permissions.covers(action, object, now.ownerId) ? 'not_permitted' : undefined;
    if (reason || !now) {
      report.conflictCount++;
      if (report.conflicts.length < maxReportedConflicts) report.conflicts.push({ recordId: record.recordId, reason: reason ?? 'deleted_since_import' });
      continue;
    }
    const before = loggedColumns(object, storedColumns(object, now));
    if (record.action === 'created') {
      deletes.push(record.recordId);
      changes.push({ entity: object, entityId: record.recordId, operation: 'delete', before });
    } else {
      const columns = { ...record.before };
      if (typeof columns.phone_index === 'string') columns.phone_index = Buffer.from(columns.phone_index, 'base64');
      restores.push({ id: record.recordId, columns });
      changes.push({ entity: object, entityId: record.recordId, operation: 'update', before, after: loggedColumns(object, columns) });
    }
  }
  await repository.deleteRecords(trx, actor.tenantId, object, deletes);
  const arrays = Object.fromEntries(importColumns[object].map((column) => [column, restores.map((restore) => restore.columns[column] ?? null)]));
  await repository.writeRecords(trx, actor.tenantId, object, 'update', restores.map((restore) => restore.id), arrays, new Date());
  await appendChanges(trx, actor, changes);
  report.deleted += deletes.length;
  report.restored += restores.length;
  report.cursor = records[records.length - 1].recordId;
  await repository.setStatus(trx, actor.tenantId, importId, { status: 'undoing', undoReport: report });
  return records.length === batchSize;
}

/** Runs (or resumes, from its saved cursor) the undo of an import to its end. */
export async function runUndo({ database, authorization }: { database: Database; authorization: Authorization }, actor: Actor, importId: string, batchSize = 2000): Promise<UndoReport> {
  const tenantId = actor.tenantId;
  const permissions = await authorization.of(actor);
  const row = await database.forTenant(tenantId, (trx) => repository.find(trx, tenantId, importId));
  if (!row || row.status !== 'undoing') return (row?.undoReport as UndoReport) ?? { cursor: null, deleted: 0, restored: 0, conflictCount: 0, conflicts: [] };
  const report: UndoReport = (row.undoReport as UndoReport | null) ?? { cursor: null, deleted: 0, restored: 0, conflictCount: 0, conflicts: [] };
  while (await database.forTenant(tenantId, (trx) => undoBatch(trx, permissions, row.object, importId, report, batchSize))) {
    // Each pass commits one batch; the loop ends when a batch comes back short.
  }
  await database.forTenant(tenantId, (trx) => repository.setStatus(trx, tenantId, importId, { status: 'undone', undoReport: report }));
  return report;
}
