// Saved list views: columns, filter and sort of a list, private to their owner or shared.
import type { Selectable } from 'kysely';
import type { SavedViewTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';

export type ViewRow = Selectable<SavedViewTable>;
export interface ViewValues {
  object: string;
  name: string;
  shared: boolean;
  columns: string[];
  filter: unknown;
  sort: string | null;
}

const serialise = (values: Partial<ViewValues>) => Object.assign(
  {},
  values,
  values.columns === undefined ? {} : { columns: JSON.stringify(values.columns) },
  values.filter === undefined ? {} : { filter: values.filter === null ? null : JSON.stringify(values.filter) },
);

export const viewsRepository = {
  /** The user's own views and every shared one. */
  listVisible(trx: Trx, tenantId: string, userId: string | null, object?: string): Promise<ViewRow[]> {
    let query = trx.selectFrom('savedView').selectAll().where('tenantId', '=', tenantId)
      .where((eb) => (userId ? eb.or([eb('shared', '=', true), eb('ownerId', '=', userId)]) : eb('shared', '=', true)))
      .orderBy('name').orderBy('id');
    if (object) query = query.where('object', '=', object);
    return query.execute();
  },

  find(trx: Trx, tenantId: string, id: string, forUpdate = false): Promise<ViewRow | undefined> {
    let query = trx.selectFrom('savedView').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  insert(trx: Trx, row: ViewValues & { tenantId: string; id: string; ownerId: string | null }) {
    return trx.insertInto('savedView').values(serialise(row) as never).returningAll().executeTakeFirstOrThrow();
  },

  update(trx: Trx, tenantId: string, id: string, values: Partial<ViewValues>) {
    return trx.updateTable('savedView').set(merged(serialise(values), { updatedAt: new Date() }) as never)
      .where('tenantId', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('savedView').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },
};
