// The review queue's reads and writes: scans (progress) and scored pairs. A pair is listed
// only while both its records exist and the reader may see both.
import { sql } from 'kysely';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { decodeCursor } from '../../platform/keyset.js';
import { FieldError } from '../../platform/errors.js';
import type { ScanObject } from './customers.duplicates.scan.js';

export interface ScanRow {
  tenantId: string;
  id: string;
  object: ScanObject;
  status: 'queued' | 'running' | 'completed' | 'failed';
  phasesDone: string[];
  phaseCount: number;
  pairsFound: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface PairRow {
  id: string;
  object: ScanObject;
  score: string;
  reasons: string[];
  status: 'open' | 'dismissed' | 'merged';
  recordA: string;
  recordB: string;
  aName: string;
  aEmail: string | null;
  aPhone: string | null;
  aDetail: string | null;
  bName: string;
  bEmail: string | null;
  bPhone: string | null;
  bDetail: string | null;
}

function scoreCursor(cursor: string): [string, string] {
  const [score, id] = decodeCursor(cursor);
  if (!/^\d(\.\d+)?$/.test(score)) throw new FieldError('list.cursor_invalid', 'cursor', 'This cursor was not made by this list; start again without it');
  return [score, id];
}

/** Both sides' summary columns: contacts show their company's name, companies their domain. */
function summary(object: ScanObject, alias: 'a' | 'b') {
  const table = sql.table(object);
  const record = sql.ref(alias);
  const detail = object === 'contact'
    ? sql`(select name from company where tenant_id = ${record}.tenant_id and id = ${record}.company_id)`
    : sql`${record}.domain`;
  return { table, detail };
}

export const duplicateQueueRepository = {
  async insertScan(trx: Trx, row: { tenantId: string; id: string; object: ScanObject; phaseCount: number; startedBy: string | null }) {
    await sql`insert into duplicate_scan (tenant_id, id, object, status, phase_count, started_by)
      values (${row.tenantId}, ${row.id}, ${row.object}, 'queued', ${row.phaseCount}, ${row.startedBy})`.execute(trx);
  },

  async findScan(trx: Trx, tenantId: string, id: string, { forUpdate = false } = {}): Promise<ScanRow | undefined> {
    const { rows } = await sql<ScanRow>`select * from duplicate_scan where tenant_id = ${tenantId} and id = ${id} ${forUpdate ? sql`for update` : sql``}`.execute(trx);
    return rows[0];
  },

  /** Serialises scan starts of one object in one workspace, so two clicks start one scan. */
  async lockScanStart(trx: Trx, tenantId: string, object: ScanObject) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`duplicate_scan:${tenantId}:${object}`}, 0))`.execute(trx);
  },

  async findActiveScan(trx: Trx, tenantId: string, object: ScanObject): Promise<ScanRow | undefined> {
    const { rows } = await sql<ScanRow>`select * from duplicate_scan where tenant_id = ${tenantId} and object = ${object}
      and status in ('queued', 'running') order by created_at desc limit 1`.execute(trx);
    return rows[0];
  },

  async updateScan(trx: Trx, tenantId: string, id: string, values: { status?: ScanRow['status']; phaseDone?: string; error?: string | null; finished?: boolean }) {
    await sql`update duplicate_scan set
        status = coalesce(${values.status ?? null}, status),
        phases_done = case when ${values.phaseDone ?? null}::text is null then phases_done else array_append(phases_done, ${values.phaseDone ?? null}::text) end,
        pairs_found = (select count(*) from duplicate_pair where tenant_id = ${tenantId} and scan_id = ${id}),
        error = ${values.error === undefined ? sql`error` : sql`${values.error}`},
        finished_at = ${values.finished ? sql`now()` : sql`finished_at`}
      where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  },

  async listPairs(trx: Trx, query: { tenantId: string; object: ScanObject; status: string; owners: OwnerFilter; limit: number; cursor?: string }): Promise<PairRow[]> {
    const a = summary(query.object, 'a');
    const b = summary(query.object, 'b');
    const after = query.cursor ? scoreCursor(query.cursor) : undefined;
    const { rows } = await sql<PairRow>`
      select p.id, p.object, p.score::text as score, p.reasons, p.status, p.record_a, p.record_b,
        a.name as a_name, a.email as a_email, a.phone as a_phone, ${a.detail} as a_detail,
        b.name as b_name, b.email as b_email, b.phone as b_phone, ${b.detail} as b_detail
      from duplicate_pair p
      join ${a.table} as a on a.tenant_id = p.tenant_id and a.id = p.record_a
      join ${b.table} as b on b.tenant_id = p.tenant_id and b.id = p.record_b
      where p.tenant_id = ${query.tenantId} and p.object = ${query.object} and p.status = ${query.status}
        and ${ownerCondition(sql.ref('a.owner_id'), query.owners)} and ${ownerCondition(sql.ref('b.owner_id'), query.owners)}
        ${after ? sql`and (p.score, p.id) < (${after[0]}::numeric, ${after[1]}::uuid)` : sql``}
      order by p.score desc, p.id desc limit ${query.limit + 1}`.execute(trx);
    return rows;
  },

  async findPair(trx: Trx, tenantId: string, id: string): Promise<{ id: string; object: ScanObject; status: string; recordA: string; recordB: string } | undefined> {
    const { rows } = await sql<{ id: string; object: ScanObject; status: string; recordA: string; recordB: string }>`
      select id, object, status, record_a, record_b from duplicate_pair where tenant_id = ${tenantId} and id = ${id} for update`.execute(trx);
    return rows[0];
  },

  async setPairStatus(trx: Trx, tenantId: string, id: string, status: 'open' | 'dismissed' | 'merged') {
    await sql`update duplicate_pair set status = ${status}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  },

  /** After a merge: open pairs that involve a merged record are settled; an undo reopens them. */
  async setPairsOfRecords(trx: Trx, tenantId: string, object: ScanObject, recordIds: string[], from: string, to: string) {
    await sql`update duplicate_pair set status = ${to}, updated_at = now()
      where tenant_id = ${tenantId} and object = ${object} and status = ${from}
        and (record_a = any(${recordIds}::uuid[]) or record_b = any(${recordIds}::uuid[]))`.execute(trx);
  },

  /** Whether both records exist and the owner filter covers both (the scope check for a pair). */
  async arePairRecordsInScope(trx: Trx, tenantId: string, object: ScanObject, ids: string[], owners: OwnerFilter): Promise<boolean> {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(object)}
      where tenant_id = ${tenantId} and id = any(${ids}::uuid[]) and ${ownerCondition(sql.ref('owner_id'), owners)}`.execute(trx);
    return rows[0].count === ids.length;
  },
};
