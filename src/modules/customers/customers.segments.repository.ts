// Saved segments: a named filter over one object's records, shared by the workspace.
import type { Selectable } from 'kysely';
import type { SegmentTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';

export type SegmentRow = Selectable<SegmentTable>;

export const segmentsRepository = {
  list(trx: Trx, tenantId: string, object?: string): Promise<SegmentRow[]> {
    let query = trx.selectFrom('segment').selectAll().where('tenantId', '=', tenantId).orderBy('name').orderBy('id');
    if (object) query = query.where('object', '=', object);
    return query.execute();
  },

  find(trx: Trx, tenantId: string, id: string, forUpdate = false): Promise<SegmentRow | undefined> {
    let query = trx.selectFrom('segment').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  insert(trx: Trx, row: { tenantId: string; id: string; object: string; name: string; filter: unknown; ownerId: string | null }) {
    return trx.insertInto('segment').values(merged(row, { filter: JSON.stringify(row.filter) })).returningAll().executeTakeFirstOrThrow();
  },

  update(trx: Trx, tenantId: string, id: string, values: { name?: string; filter?: unknown }) {
    return trx.updateTable('segment')
      .set(Object.assign({}, values.name === undefined ? {} : { name: values.name }, values.filter === undefined ? {} : { filter: JSON.stringify(values.filter) }, { updatedAt: new Date() }))
      .where('tenantId', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('segment').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },
};
