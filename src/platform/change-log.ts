// The change log (ARCHITECTURE §4): one row per write, appended in the writer's own
// transaction, hash-chained per tenant. It is the record history, the audit trail and,
// later, the source of events and incremental backups.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from './actor.js';
import type { Database, Trx } from './db.js';

// sign_in and sign_in_failed record who signed in (or tried to) on the user's own history.
// merge is logged on a merge's survivor, merged on each record merged into it (and deleted);
// an undo logs unmerge on the survivor and restore on each record it brings back.
export type Operation = 'create' | 'update' | 'delete' | 'sign_in' | 'sign_in_failed' | 'merge' | 'merged' | 'unmerge' | 'restore';
type Values = Record<string, unknown>;

export interface ChangeEntry {
  entity: string;
  entityId: string;
  operation: Operation;
  before?: Values | null;
  after?: Values | null;
}

export interface FieldChange {
  before: unknown;
  after: unknown;
}

export interface HistoryItem {
  seq: number;
  entity: string;
  entityId: string;
  operation: string;
  actor: { id: string | null; name: string | null } | null;
  at: Date;
  changes: Record<string, FieldChange>;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor: string | null;
}

// Bookkeeping columns that say nothing a reader of the history needs.
const unloggedFields = new Set(['tenantId', 'createdAt', 'updatedAt']);

function toLoggable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Reduces a record's before and after states to the fields that changed, so an update logs
 * what it did and not the whole row. A create logs every field; a delete the last values.
 */
export function diffValues(before: Values | null | undefined, after: Values | null | undefined) {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changedBefore: Values = {};
  const changedAfter: Values = {};
  for (const key of keys) {
    if (unloggedFields.has(key)) continue;
    const previous = toLoggable(before?.[key] ?? null);
    const next = toLoggable(after?.[key] ?? null);
    if (before && after && JSON.stringify(previous) === JSON.stringify(next)) continue;
    if (before) changedBefore[key] = previous;
    if (after) changedAfter[key] = next;
  }
  return { before: before ? changedBefore : null, after: after ? changedAfter : null };
}

/** Appends the entry, or nothing when it is an update that changed no field (returns null then). */
export async function appendChange(trx: Trx, actor: Actor, entry: ChangeEntry): Promise<number | null> {
  const { before, after } = diffValues(entry.before, entry.after);
  if (entry.operation === 'update' && after && Object.keys(after).length === 0) return null;
  const { rows } = await sql<{ seq: string }>`
    with entry as (
      select ${actor.tenantId}::uuid as tenant_id, now() as at, ${actor.userId}::uuid as actor_id,
             ${actor.name}::text as actor_name, ${actor.type}::text as actor_type,
             ${entry.entity}::text as entity, ${entry.entityId}::uuid as entity_id,
             ${entry.operation}::text as operation, ${before === null ? null : JSON.stringify(before)}::jsonb as before,
             ${after === null ? null : JSON.stringify(after)}::jsonb as after,
             ${actor.requestId ?? null}::text as request_id, ${actor.ip ?? null}::text as ip
    ), payload as (
      select change_log_payload(at, actor_id, actor_type, entity, entity_id, operation, before, after) as text from entry
    ), head as (
      insert into change_log_head as h (tenant_id, seq, hash)
      select tenant_id, 1, sha256(convert_to('1|' || (select text from payload), 'UTF8')) from entry
      on conflict (tenant_id) do update
        set seq = h.seq + 1,
            hash = sha256(h.hash || convert_to((h.seq + 1)::text || '|' || (select text from payload), 'UTF8'))
      returning seq, hash
    )
    insert into change_log (tenant_id, seq, at, actor_id, actor_name, actor_type, entity, entity_id,
                            operation, before, after, request_id, ip, hash)
    select e.tenant_id, head.seq, e.at, e.actor_id, e.actor_name, e.actor_type, e.entity, e.entity_id,
           e.operation, e.before, e.after, e.request_id, e.ip, head.hash
    from entry e, head
    returning seq`.execute(trx);
  return Number(rows[0].seq);
}

/**
 * Appends many entries in three statements instead of one per entry, for bulk work (imports).
 * The chain is the one appendChange builds row by row: the payloads come from the same SQL
 * function at the same transaction time, and each hash is sha256(previous || "seq|payload").
 * Updates that changed nothing are left out, as appendChange leaves them out.
 */
export async function appendChanges(trx: Trx, actor: Actor, entries: ChangeEntry[]): Promise<void> {
  const diffs = entries.map((entry) => ({ entry, ...diffValues(entry.before, entry.after) }))
    .filter(({ entry, after }) => !(entry.operation === 'update' && after && Object.keys(after).length === 0));
  if (diffs.length === 0) return;
  const json = (value: Values | null) => (value === null ? null : JSON.stringify(value));
  const columns = {
    entities: diffs.map(({ entry }) => entry.entity), ids: diffs.map(({ entry }) => entry.entityId),
    operations: diffs.map(({ entry }) => entry.operation), befores: diffs.map(({ before }) => json(before)), afters: diffs.map(({ after }) => json(after)),
  };
  const { rows: payloads } = await sql<{ payload: string }>`
    select change_log_payload(now(), ${actor.userId}::uuid, ${actor.type}::text, e.entity, e.entity_id, e.operation, e.before, e.after) as payload
    from unnest(${columns.entities}::text[], ${columns.ids}::uuid[], ${columns.operations}::text[], ${columns.befores}::jsonb[], ${columns.afters}::jsonb[])
      with ordinality as e(entity, entity_id, operation, before, after, position)
    order by e.position`.execute(trx);
  // An empty previous hash makes the first link sha256("1|payload"), as appendChange's insert does.
  await sql`insert into change_log_head (tenant_id, seq, hash) values (${actor.tenantId}::uuid, 0, ''::bytea) on conflict (tenant_id) do nothing`.execute(trx);
  const { rows: heads } = await sql<{ seq: string; hash: Buffer }>`
    select seq, hash from change_log_head where tenant_id = ${actor.tenantId}::uuid for update`.execute(trx);
  let previous = heads[0].hash;
  let seq = Number(heads[0].seq);
  const seqs: string[] = [];
  const hashes: Buffer[] = [];
  for (const { payload } of payloads) {
    seq++;
    previous = crypto.createHash('sha256').update(previous).update(`${seq}|${payload}`, 'utf8').digest();
    seqs.push(String(seq));
    hashes.push(previous);
  }
  await sql`
    insert into change_log (tenant_id, seq, at, actor_id, actor_name, actor_type, entity, entity_id, operation, before, after, request_id, ip, hash)
    select ${actor.tenantId}::uuid, e.seq, now(), ${actor.userId}::uuid, ${actor.name}::text, ${actor.type}::text, e.entity, e.entity_id,
           e.operation, e.before, e.after, ${actor.requestId ?? null}::text, ${actor.ip ?? null}::text, e.hash
    from unnest(${seqs}::bigint[], ${columns.entities}::text[], ${columns.ids}::uuid[], ${columns.operations}::text[],
                ${columns.befores}::jsonb[], ${columns.afters}::jsonb[], ${hashes}::bytea[])
      as e(seq, entity, entity_id, operation, before, after, hash)`.execute(trx);
  await sql`update change_log_head set seq = ${String(seq)}::bigint, hash = ${previous} where tenant_id = ${actor.tenantId}::uuid`.execute(trx);
}

function toChanges(before: Values | null, after: Values | null): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    changes[key] = { before: before?.[key] ?? null, after: after?.[key] ?? null };
  }
  return changes;
}

export async function listHistory(
  trx: Trx,
  query: { entity: string; entityId: string; limit: number; cursor?: number },
): Promise<HistoryPage> {
  let builder = trx
    .selectFrom('changeLog')
    .select(['seq', 'entity', 'entityId', 'operation', 'actorId', 'actorName', 'at', 'before', 'after'])
    .where('entity', '=', query.entity)
    .where('entityId', '=', query.entityId)
    .orderBy('seq', 'desc')
    .limit(query.limit + 1);
  if (query.cursor !== undefined) builder = builder.where('seq', '<', String(query.cursor));
  const rows = await builder.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      seq: Number(row.seq),
      entity: row.entity,
      entityId: row.entityId,
      operation: row.operation,
      actor: row.actorId || row.actorName ? { id: row.actorId, name: row.actorName } : null,
      at: row.at,
      changes: toChanges(row.before as Values | null, row.after as Values | null),
    })),
    nextCursor: rows.length > query.limit ? String(page[page.length - 1].seq) : null,
  };
}

export interface ChainVerification {
  checked: number;
  firstBrokenSeq: number | null;
}

/** Recomputes the tenant's hash chain in order and reports the first row that does not match. */
export async function verifyChain(trx: Trx, batchSize = 5000): Promise<ChainVerification> {
  let previous: Buffer = Buffer.alloc(0);
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const { rows } = await sql<{ seq: string; payload: string; hash: Buffer }>`
      select seq, change_log_payload(at, actor_id, actor_type, entity, entity_id, operation, before, after) as payload, hash
      from change_log where seq >= ${expectedSeq} order by seq limit ${batchSize}`.execute(trx);
    if (rows.length === 0) return { checked, firstBrokenSeq: null };
    for (const row of rows) {
      const seq = Number(row.seq);
      const expected = crypto.createHash('sha256').update(previous).update(`${seq}|${row.payload}`, 'utf8').digest();
      if (seq !== expectedSeq || !expected.equals(row.hash)) return { checked, firstBrokenSeq: expectedSeq };
      previous = row.hash;
      expectedSeq = seq + 1;
      checked++;
    }
  }
}

export interface ChangeFilters {
  actorId?: string;
  entity?: string;
  entityId?: string;
  operation?: string;
  from?: Date;
  to?: Date;
}

export interface ChangeRow extends HistoryItem {
  actorType: string;
  ip: string | null;
  requestId: string | null;
}

/** The workspace's change log, newest first, filtered; pages by sequence number. */
export async function listChanges(trx: Trx, filters: ChangeFilters, limit: number, beforeSeq?: number): Promise<{ items: ChangeRow[]; nextCursor: string | null }> {
  let query = trx.selectFrom('changeLog')
    .select(['seq', 'entity', 'entityId', 'operation', 'actorId', 'actorName', 'actorType', 'at', 'ip', 'requestId'])
    // As text: the CamelCasePlugin would rename keys inside the values (a custom field
    // `last_call` would read back as `lastCall`); logged values come back as they were written.
    .select([sql<string | null>`before::text`.as('before'), sql<string | null>`after::text`.as('after')])
    .orderBy('seq', 'desc').limit(limit + 1);
  if (filters.actorId) query = query.where('actorId', '=', filters.actorId);
  if (filters.entity) query = query.where('entity', '=', filters.entity);
  if (filters.entityId) query = query.where('entityId', '=', filters.entityId);
  if (filters.operation) query = query.where('operation', '=', filters.operation);
  if (filters.from) query = query.where('at', '>=', filters.from);
  if (filters.to) query = query.where('at', '<', filters.to);
  if (beforeSeq !== undefined) query = query.where('seq', '<', String(beforeSeq));
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      seq: Number(row.seq), entity: row.entity, entityId: row.entityId, operation: row.operation,
      actor: row.actorId || row.actorName ? { id: row.actorId, name: row.actorName } : null,
      actorType: row.actorType, at: row.at, ip: row.ip, requestId: row.requestId,
      changes: toChanges(row.before === null ? null : JSON.parse(row.before) as Values, row.after === null ? null : JSON.parse(row.after) as Values),
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].seq) : null,
  };
}

export interface TenantChainReport extends ChainVerification {
  tenantId: string;
}

/** Verifies the chain of every tenant (or the given ones): what `rapport audit verify` runs. */
export async function verifyAllChains(database: Database, tenantIds?: string[]): Promise<TenantChainReport[]> {
  const ids = tenantIds ?? await database.forAuthLookup(async (trx) =>
    (await trx.selectFrom('tenant').select('id').orderBy('createdAt').execute()).map((row) => row.id));
  const reports: TenantChainReport[] = [];
  for (const tenantId of ids) {
    reports.push({ tenantId, ...await database.forTenant(tenantId, (trx) => verifyChain(trx)) });
  }
  return reports;
}
