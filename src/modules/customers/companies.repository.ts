// Reads and writes of the company table (tenant named in every query: two walls with RLS).
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { CompanyTable, DB } from '../../db/schema.js';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { customFieldsText, withCustomFields } from './customers.custom-fields.repository.js';
import { tagNames } from './customers.tags.repository.js';
import { afterCursor, containsPattern, cursorValue, encodeCursor, maxCount, parseSort, type SortColumn } from '../../platform/keyset.js';
import { pageLimit, prepared, rowsOf } from '../../platform/prepared-statements.js';

export type CompanyRow = Selectable<CompanyTable> & { tags?: string[] };
export type CompanyValues = Pick<CompanyTable, 'name' | 'website' | 'domain' | 'email' | 'phone' | 'industry' | 'city' | 'country' | 'ownerId'>;

export interface CompanyFilters {
  /** The actor's read scope: which owners' companies are visible at all. */
  owners?: OwnerFilter;
  /** Fields hidden from the actor, which a search must not match on either. */
  hiddenFields?: string[];
  q?: string;
  name?: string;
  domain?: string;
  ownerId?: string;
  /** Custom field, tag, segment and view conditions (customers.segments.lists.ts). */
  extraConditions?: Expression<SqlBool>[];
}

const sortColumns: Record<string, SortColumn> = {
  name: { expression: sql.ref('name'), type: 'text' },
  domain: { expression: sql`coalesce(${sql.ref('domain')}, '')`, type: 'text' },
  createdAt: { expression: sql.ref('createdAt'), type: 'timestamptz' },
  updatedAt: { expression: sql.ref('updatedAt'), type: 'timestamptz' },
};

/** Sorts whose cursor value the row itself holds; others use the selected one (cursorValue). */
const sortValueOf: Record<string, (row: CompanyRow) => unknown> = {
  name: (row) => row.name,
  domain: (row) => row.domain ?? '',
};

function matches(filters: CompanyFilters) {
  return (eb: ExpressionBuilder<DB, 'company'>) => {
    const conditions = [ownerCondition(sql.ref('ownerId'), filters.owners)];
    const hidden = new Set(filters.hiddenFields ?? []);
    if (filters.name) conditions.push(eb('name', 'ilike', containsPattern(filters.name.trim())));
    if (filters.domain) conditions.push(eb('domain', '=', filters.domain.trim().toLowerCase()));
    if (filters.ownerId) conditions.push(eb('ownerId', '=', filters.ownerId));
    conditions.push(...(filters.extraConditions ?? []));
    const q = filters.q?.trim();
    if (q) {
      const pattern = containsPattern(q);
      // Digits without a trunk 0, so "020 7946 0958" finds +442079460958.
      const digits = q.replace(/\D/g, '').replace(/^0+/, '');
      conditions.push(eb.or([
        eb('name', 'ilike', pattern),
        ...(hidden.has('domain') ? [] : [eb('domain', 'ilike', pattern)]),
        ...(hidden.has('email') ? [] : [eb('email', 'ilike', pattern)]),
        ...(digits.length >= 3 && !hidden.has('phone') ? [eb('phone', 'like', `%${digits}%`)] : []),
      ]));
    }
    return eb.and(conditions);
  };
}

export const companiesRepository = {
  async find(trx: Trx, tenantId: string, id: string, { forUpdate = false, owners }: { forUpdate?: boolean; owners?: OwnerFilter } = {}): Promise<CompanyRow | undefined> {
    const query = trx.selectFrom('company').selectAll().select([tagNames('company', 'company'), customFieldsText('company')]).where('tenantId', '=', tenantId).where('id', '=', id).where(ownerCondition(sql.ref('ownerId'), owners));
    // A get by primary key plans the same for any id: prepared (platform/prepared-statements.ts).
    const row = forUpdate ? await query.forUpdate().executeTakeFirst() : (await trx.executeQuery(prepared(query))).rows[0];
    return row && withCustomFields(row);
  },

  async exists(trx: Trx, tenantId: string, id: string): Promise<boolean> {
    return (await trx.selectFrom('company').select('id').where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },

  /** The company's contacts the actor may see. */
  async countContacts(trx: Trx, tenantId: string, id: string, owners?: OwnerFilter): Promise<number> {
    const row = await trx.selectFrom('contact').select((eb) => eb.fn.countAll<string>().as('count'))
      .where('tenantId', '=', tenantId).where('companyId', '=', id).where(ownerCondition(sql.ref('ownerId'), owners)).executeTakeFirstOrThrow();
    return Number(row.count);
  },

  async list(trx: Trx, tenantId: string, options: CompanyFilters & { limit: number; cursor?: string; sort: string; extraSorts?: Record<string, SortColumn> }) {
    const sort = parseSort(options.sort, { ...sortColumns, ...options.extraSorts });
    const direction = sort.descending ? 'desc' : 'asc';
    // A plain page (no search, filter or custom sort) is prepared, as the contact list's is
    // (contacts.repository.ts says why).
    const isPlainPage = !options.q?.trim() && !options.name && !options.domain && !options.ownerId && !options.extraConditions?.length
      && Object.values(sortColumns).includes(sort.column);
    let query = trx.selectFrom('company').selectAll().select([tagNames('company', 'company'), customFieldsText('company'), cursorValue(sort.column).as('sortValue')])
      .where('tenantId', '=', tenantId).where(matches(options))
      .orderBy(sort.column.expression, direction).orderBy('id', direction).limit(pageLimit(options.limit, isPlainPage));
    if (options.cursor) query = query.where(afterCursor(sort, sql.ref('id'), options.cursor));
    const rows = (await rowsOf(trx, query, isPlainPage)).map(withCustomFields);
    const items = rows.slice(0, options.limit);
    const last = items[items.length - 1];
    const field = options.sort.replace(/^-/, '');
    return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(sortValueOf[field]?.(last) ?? last.sortValue, last.id) : null };
  },

  async countCapped(trx: Trx, tenantId: string, filters: CompanyFilters) {
    const { rows } = await sql<{ count: string }>`select count(*) as count from (${
      trx.selectFrom('company').select(sql.lit(1).as('one')).where('tenantId', '=', tenantId).where(matches(filters)).limit(maxCount + 1)
    }) as capped`.execute(trx);
    const count = Number(rows[0].count);
    return { count: Math.min(count, maxCount), capped: count > maxCount };
  },

  async insert(trx: Trx, row: CompanyValues & { tenantId: string; id: string; customFields?: string; createdAt: Date; updatedAt: Date }) {
    return withCustomFields(await trx.insertInto('company').values(row).returningAll().returning(customFieldsText('company')).executeTakeFirstOrThrow());
  },

  async update(trx: Trx, tenantId: string, id: string, values: Partial<CompanyValues> & { customFields?: string; updatedAt: Date }) {
    return withCustomFields(await trx.updateTable('company').set(values).where('tenantId', '=', tenantId).where('id', '=', id)
      .returningAll().returning(customFieldsText('company')).executeTakeFirstOrThrow());
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('company').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },
};
