// Tags and which records carry them. record_tag rows are keyed by (object, record id), so one
// tag table serves contacts, companies and later deals and tickets.
import { sql, type Selectable } from 'kysely';
import type { TagTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';

export type TagRow = Selectable<TagTable>;

/** The names of a record's tags, sorted, as an array (NULL when it has none). */
function tagNameArray(object: string, alias: string) {
  return sql`(select array_agg(t.name order by lower(t.name)) from record_tag rt
    join tag t on t.tenant_id = rt.tenant_id and t.id = rt.tag_id
    where rt.tenant_id = ${sql.ref(`${alias}.tenantId`)} and rt.object = ${object} and rt.record_id = ${sql.ref(`${alias}.id`)})`;
}

/** A record's tag names, sorted, as a selectable column `tags` of the row aliased `alias`. */
export function tagNames(object: string, alias: string) {
  return sql<string[]>`coalesce(${tagNameArray(object, alias)}, '{}')`.as('tags');
}

/** The same names as a JSON array's text (json-text.ts); array_to_json writes it compact, json_agg would not. */
export function tagNamesJson(object: string, alias: string) {
  return sql<string>`coalesce(array_to_json(${tagNameArray(object, alias)})::text, '[]')`;
}

export const tagsRepository = {
  list(trx: Trx, tenantId: string): Promise<Array<TagRow & { usage: number }>> {
    return trx.selectFrom('tag').selectAll('tag')
      .select((eb) => eb.selectFrom('recordTag').select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('recordTag.tenantId', '=', 'tag.tenantId').whereRef('recordTag.tagId', '=', 'tag.id').as('usage'))
      .where('tag.tenantId', '=', tenantId).orderBy(sql`lower(name)`).execute() as Promise<Array<TagRow & { usage: number }>>;
  },

  find(trx: Trx, tenantId: string, id: string, forUpdate = false): Promise<TagRow | undefined> {
    let query = trx.selectFrom('tag').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  },

  findByNames(trx: Trx, tenantId: string, names: string[]): Promise<TagRow[]> {
    if (names.length === 0) return Promise.resolve([]);
    return trx.selectFrom('tag').selectAll().where('tenantId', '=', tenantId)
      .where(sql`lower(name)`, 'in', names.map((name) => name.toLowerCase())).execute();
  },

  insert(trx: Trx, row: { tenantId: string; id: string; name: string; color: string | null }): Promise<TagRow> {
    return trx.insertInto('tag').values(row).returningAll().executeTakeFirstOrThrow();
  },

  update(trx: Trx, tenantId: string, id: string, values: { name?: string; color?: string | null }): Promise<TagRow> {
    return trx.updateTable('tag').set(values).where('tenantId', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  /** Deletes the tag and returns the records that carried it (for their history). */
  async delete(trx: Trx, tenantId: string, id: string): Promise<Array<{ object: string; recordId: string }>> {
    const carriers = await trx.deleteFrom('recordTag').where('tenantId', '=', tenantId).where('tagId', '=', id).returning(['object', 'recordId']).execute();
    await trx.deleteFrom('tag').where('tenantId', '=', tenantId).where('id', '=', id).execute();
    return carriers;
  },

  async tagIdsOf(trx: Trx, tenantId: string, object: string, recordId: string): Promise<string[]> {
    const rows = await trx.selectFrom('recordTag').select('tagId').where('tenantId', '=', tenantId).where('object', '=', object).where('recordId', '=', recordId).execute();
    return rows.map((row) => row.tagId);
  },

  async add(trx: Trx, tenantId: string, object: string, recordId: string, tagIds: string[]) {
    if (tagIds.length === 0) return;
    await trx.insertInto('recordTag').values(tagIds.map((tagId) => ({ tenantId, object, recordId, tagId })))
      .onConflict((conflict) => conflict.doNothing()).execute();
  },

  async remove(trx: Trx, tenantId: string, object: string, recordId: string, tagIds: string[]) {
    if (tagIds.length === 0) return;
    await trx.deleteFrom('recordTag').where('tenantId', '=', tenantId).where('object', '=', object).where('recordId', '=', recordId)
      .where('tagId', 'in', tagIds).execute();
  },

  /** All tag links of the given records, for a merge to move and an undo to restore. */
  links(trx: Trx, tenantId: string, object: string, recordIds: string[]) {
    if (recordIds.length === 0) return Promise.resolve([]);
    return trx.selectFrom('recordTag').select(['recordId', 'tagId', 'createdAt']).where('tenantId', '=', tenantId)
      .where('object', '=', object).where('recordId', 'in', recordIds).execute();
  },

  async deleteLinks(trx: Trx, tenantId: string, object: string, links: Array<{ recordId: string; tagId: string }>) {
    for (const link of links) {
      await trx.deleteFrom('recordTag').where('tenantId', '=', tenantId).where('object', '=', object)
        .where('recordId', '=', link.recordId).where('tagId', '=', link.tagId).execute();
    }
  },

  async insertLinks(trx: Trx, tenantId: string, object: string, links: Array<{ recordId: string; tagId: string; createdAt: string | Date }>) {
    if (links.length === 0) return;
    await trx.insertInto('recordTag').values(links.map((link) => ({ tenantId, object, recordId: link.recordId, tagId: link.tagId, createdAt: new Date(link.createdAt) })))
      .onConflict((conflict) => conflict.doNothing()).execute();
  },
};
