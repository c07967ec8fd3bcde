// Reads and writes of data_export: an export job's request, progress and file.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db.js';
import type { ExportFormat, ExportObject } from './customers.export.service.js';

export interface ExportRow {
  id: string;
  object: ExportObject;
  format: ExportFormat;
  query: Record<string, unknown>;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'expired';
  actor: Record<string, unknown>;
  rowsWritten: string;
  filePath: string | null;
  errorMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

// Without the camel-case plugin, which would rename the keys of the stored query.
const plain = (trx: Trx) => trx.withoutPlugins();

export const exportRepository = {
  async insert(trx: Trx, tenantId: string, row: Pick<ExportRow, 'id' | 'object' | 'format' | 'query' | 'actor'>) {
    await sql`insert into data_export (tenant_id, id, object, format, query, status, actor)
      values (${tenantId}, ${row.id}, ${row.object}, ${row.format}, ${JSON.stringify(row.query)}::jsonb, 'queued', ${JSON.stringify(row.actor)}::jsonb)`.execute(plain(trx));
  },

  async find(trx: Trx, tenantId: string, id: string): Promise<ExportRow | undefined> {
    const { rows } = await sql<ExportRow>`select id, object, format, query, status, actor, rows_written as "rowsWritten", file_path as "filePath",
        error_message as "errorMessage", created_at as "createdAt", finished_at as "finishedAt"
      from data_export where tenant_id = ${tenantId} and id = ${id}`.execute(plain(trx));
    return rows[0];
  },

  async update(trx: Trx, tenantId: string, id: string, values: { status?: ExportRow['status']; rowsWritten?: number; filePath?: string; errorMessage?: string; finished?: boolean }) {
    await sql`update data_export set status = coalesce(${values.status ?? null}::text, status), rows_written = coalesce(${values.rowsWritten ?? null}::bigint, rows_written),
        file_path = coalesce(${values.filePath ?? null}::text, file_path), error_message = coalesce(${values.errorMessage ?? null}::text, error_message),
        finished_at = ${values.finished ? sql`now()` : sql`finished_at`}
      where tenant_id = ${tenantId} and id = ${id}`.execute(plain(trx));
  },

};
