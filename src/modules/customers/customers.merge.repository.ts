// The merge table and the before-images it keeps. Images are taken and put back in SQL
// (to_jsonb / jsonb_populate_record) so they hold every column as stored — encrypted phones
// stay ciphertext, custom fields and columns added later come along — and never pass
// through the application's camelCase mapping.
import { sql } from 'kysely';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';
import type { MergeableObject } from './customers.merge-hooks.js';

export interface MergeRow {
  tenantId: string;
  id: string;
  object: MergeableObject;
  survivorId: string;
  mergedIds: string[];
  hookNotes: Array<{ name: string; moved: number; undo: unknown }>;
  actorId: string | null;
  createdAt: Date;
  undoneAt: Date | null;
}

/** The columns a merge may change on the survivor, which an undo puts back. */
const restoredColumns: Record<MergeableObject, string[]> = {
  contact: ['name', 'email', 'phone', 'phone_index', 'title', 'company_id', 'owner_id', 'custom_fields'],
  company: ['name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country', 'owner_id', 'custom_fields'],
};

// hook_notes travels as text: the camelCase mapping would otherwise rename keys inside hooks' notes.
const columns = 'tenant_id, id, object, survivor_id, merged_ids, hook_notes::text as hook_notes, actor_id, created_at, undone_at';
const parsed = (row: MergeRow): MergeRow => merged(row, { hookNotes: JSON.parse(row.hookNotes as unknown as string) });

export const mergeRepository = {
  /** Records the merge with the before-images of the survivor and the merged records, as they are now. */
  async insert(trx: Trx, merge: { tenantId: string; id: string; object: MergeableObject; survivorId: string; mergedIds: string[]; actorId: string | null }) {
    const table = sql.table(merge.object);
    await sql`insert into merge (tenant_id, id, object, survivor_id, merged_ids, survivor_before, survivor_after, merged_before, actor_id)
      select ${merge.tenantId}, ${merge.id}, ${merge.object}, ${merge.survivorId}, ${merge.mergedIds}::uuid[],
        (select to_jsonb(r) from ${table} r where r.tenant_id = ${merge.tenantId} and r.id = ${merge.survivorId}), '{}'::jsonb,
        (select jsonb_agg(to_jsonb(r) order by array_position(${merge.mergedIds}::uuid[], r.id)) from ${table} r
          where r.tenant_id = ${merge.tenantId} and r.id = any(${merge.mergedIds}::uuid[])),
        ${merge.actorId}`.execute(trx);
  },

  async complete(trx: Trx, merge: { tenantId: string; id: string; object: MergeableObject; survivorId: string }, hookNotes: MergeRow['hookNotes']) {
    await sql`update merge set hook_notes = ${JSON.stringify(hookNotes)}::jsonb,
        survivor_after = (select to_jsonb(r) from ${sql.table(merge.object)} r where r.tenant_id = ${merge.tenantId} and r.id = ${merge.survivorId})
      where tenant_id = ${merge.tenantId} and id = ${merge.id}`.execute(trx);
  },

  async find(trx: Trx, tenantId: string, id: string, { forUpdate = false } = {}): Promise<MergeRow | undefined> {
    const { rows } = await sql<MergeRow>`select ${sql.raw(columns)} from merge where tenant_id = ${tenantId} and id = ${id} ${forUpdate ? sql`for update` : sql``}`.execute(trx);
    return rows[0] && parsed(rows[0]);
  },

  /** Merges where the record survived or was merged away, newest first; scoped by the survivor's owner then. */
  async listForRecord(trx: Trx, tenantId: string, recordId: string, objects: Array<{ object: MergeableObject; owners: OwnerFilter }>): Promise<MergeRow[]> {
    if (objects.length === 0) return [];
    const scoped = objects.map(({ object, owners }) =>
      sql`(object = ${object} and ${ownerCondition(sql`(survivor_before ->> 'owner_id')::uuid`, owners)})`);
    const { rows } = await sql<MergeRow>`select ${sql.raw(columns)} from merge
      where tenant_id = ${tenantId} and (survivor_id = ${recordId} or merged_ids @> array[${recordId}::uuid])
        and (${sql.join(scoped, sql` or `)})
      order by created_at desc, id desc limit 100`.execute(trx);
    return rows.map(parsed);
  },

  /** Ids among the merged records that exist again (reused since): an undo cannot bring them back. */
  async findReusedIds(trx: Trx, merge: MergeRow): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`select id from ${sql.table(merge.object)}
      where tenant_id = ${merge.tenantId} and id = any(${merge.mergedIds}::uuid[])`.execute(trx);
    return rows.map((row) => row.id);
  },

  /**
   * Puts back the survivor's columns as they were before the merge — except those changed since
   * the merge, which keep the later edit — then re-inserts the merged records as they were.
   */
  async restoreRecords(trx: Trx, merge: MergeRow): Promise<void> {
    const table = sql.table(merge.object);
    const assignments = restoredColumns[merge.object].map((column) => {
      const current = sql`t.${sql.ref(column)}`;
      return sql`${sql.ref(column)} = case when ${current} is not distinct from after.${sql.ref(column)} then before.${sql.ref(column)} else ${current} end`;
    });
    await sql`update ${table} as t set ${sql.join(assignments)}, updated_at = now()
      from merge m, jsonb_populate_record(null::${table}, m.survivor_before) as before, jsonb_populate_record(null::${table}, m.survivor_after) as after
      where m.tenant_id = ${merge.tenantId} and m.id = ${merge.id} and t.tenant_id = m.tenant_id and t.id = m.survivor_id`.execute(trx);
    await sql`insert into ${table}
      select (jsonb_populate_record(null::${table}, image)).* from merge m, jsonb_array_elements(m.merged_before) as image
      where m.tenant_id = ${merge.tenantId} and m.id = ${merge.id}`.execute(trx);
  },

  async markUndone(trx: Trx, tenantId: string, id: string, userId: string | null) {
    await sql`update merge set undone_at = now(), undone_by = ${userId} where tenant_id = ${tenantId} and id = ${id}`.execute(trx);
  },
};
