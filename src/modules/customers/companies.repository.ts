// Reads and writes of the company table (tenant named in every query: two walls with RLS).
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { CompanyTable, DB } from '../../db/schema.js';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { jsonObjectText, jsonPageOf, type JsonPage } from '../../platform/json-text.js';
import { customFieldsText } from './customers.custom-fields.repository.js';
import { tagNames, tagNamesJson } from './customers.tags.repository.js';
import { afterCursor, containsPattern, cursorValue, maxCount, parseSort, type SortColumn } from '../../platform/keyset.js';
import { pageLimit, prepared, rowsOf } from '../../platform/prepared-statements.js';

export type CompanyRow = Selectable<CompanyTable> & { tags?: string[] };
/** A row as the queries return it, custom fields still JSON text (companyRowOf parses them). */
type SelectedCompanyRow = Omit<CompanyRow, 'customFields'> & { customFieldsJson: string };
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

// Named, not `*`: custom_fields comes as text (customFieldsText) and is parsed once, not also as jsonb.
const readColumns = ['tenantId', 'id', 'name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country', 'ownerId', 'createdAt', 'updatedAt'] as const;

/** A company as the API's lists answer with it, as JSON text built by PostgreSQL (platform/json-text.ts): the Company schema's fields in its order. */
const companyJson = jsonObjectText([
  { key: 'id', uuid: sql.ref('id') },
  ...(['name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country'] as const).map((key) => ({ key, value: sql.ref(key) })),
  { key: 'ownerId', uuid: sql.ref('ownerId') },
  { key: 'customFields', json: sql`${sql.ref('customFields')}::text` }, { key: 'tags', json: tagNamesJson('company', 'company') },
  { key: 'createdAt', timestamp: sql.ref('createdAt') }, { key: 'updatedAt', timestamp: sql.ref('updatedAt') },
]);

/** The row with its custom fields parsed, built field by field so that every company row has one shape (contacts.repository.ts says why). */
function companyRowOf(row: SelectedCompanyRow): CompanyRow {
  return {
    tenantId: row.tenantId, id: row.id, name: row.name, website: row.website, domain: row.domain, email: row.email, phone: row.phone,
    industry: row.industry, city: row.city, country: row.country, ownerId: row.ownerId,
    customFields: JSON.parse(row.customFieldsJson) as CompanyRow['customFields'], tags: row.tags, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

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
  /** The company, locked for a write in this transaction; reads go through findMany. */
  async findForUpdate(trx: Trx, tenantId: string, id: string, owners: OwnerFilter | undefined): Promise<CompanyRow | undefined> {
    const row = await trx.selectFrom('company').select(readColumns).select([tagNames('company', 'company'), customFieldsText('company')])
      .where('tenantId', '=', tenantId).where('id', '=', id).where(ownerCondition(sql.ref('ownerId'), owners)).forUpdate().executeTakeFirst();
    return row && companyRowOf(row);
  },

  /** The companies of these ids the owner scope covers, in no particular order; ids not found are left out. */
  async findMany(trx: Trx, tenantId: string, ids: string[], owners: OwnerFilter | undefined): Promise<CompanyRow[]> {
    const query = trx.selectFrom('company').select(readColumns).select([tagNames('company', 'company'), customFieldsText('company')]).where('tenantId', '=', tenantId)
      .where(sql<SqlBool>`${sql.ref('id')} = any(${ids}::uuid[])`).where(ownerCondition(sql.ref('ownerId'), owners));
    // A get by primary key plans the same for any ids: prepared (platform/prepared-statements.ts).
    return (await trx.executeQuery(prepared(query))).rows.map(companyRowOf);
  },

  /** How many of each company's contacts the actor may see; a company without any is left out. */
  async countContactsOfMany(trx: Trx, tenantId: string, ids: string[], owners: OwnerFilter | undefined): Promise<Map<string, number>> {
    const rows = await trx.selectFrom('contact').select((eb) => ['companyId', eb.fn.countAll<string>().as('count')])
      .where('tenantId', '=', tenantId).where(sql<SqlBool>`${sql.ref('companyId')} = any(${ids}::uuid[])`).where(ownerCondition(sql.ref('ownerId'), owners))
      .groupBy('companyId').execute();
    return new Map(rows.map((row) => [row.companyId!, Number(row.count)]));
  },

  async exists(trx: Trx, tenantId: string, id: string): Promise<boolean> {
    return (await trx.selectFrom('company').select('id').where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },


  /** A page of companies, each as its JSON text, custom fields as stored (perhaps sealed). */
  async list(trx: Trx, tenantId: string, options: CompanyFilters & { limit: number; cursor?: string; sort: string; extraSorts?: Record<string, SortColumn> }): Promise<JsonPage> {
    const sort = parseSort(options.sort, Object.assign({}, sortColumns, options.extraSorts));
    const direction = sort.descending ? 'desc' : 'asc';
    // A plain page (no search, filter or custom sort) is prepared, as the contact list's is
    // (contacts.repository.ts says why).
    const isPlainPage = !options.q?.trim() && !options.name && !options.domain && !options.ownerId && !options.extraConditions?.length
      && Object.values(sortColumns).includes(sort.column);
    // A plain page reads its companies' JSON in the same prepared query; any other finds its ids
    // and cursor values by a query planned for its values, and their JSON by a prepared one
    // (contacts.repository.ts, jsonByIdsQuery, says why).
    let query = trx.selectFrom('company').select(['id', cursorValue(sort.column).as('sortValue')])
      .$if(isPlainPage, (select) => select.select(companyJson.as('json')))
      .where('tenantId', '=', tenantId).where(matches(options))
      .orderBy(sort.column.expression, direction).orderBy('id', direction).limit(pageLimit(options.limit, isPlainPage));
    if (options.cursor) query = query.where(afterCursor(sort, sql.ref('id'), options.cursor));
    const rows = await rowsOf(trx, query, isPlainPage);
    if (isPlainPage) return jsonPageOf(rows, options.limit);
    const ids = rows.slice(0, options.limit).map((row) => row.id);
    const texts = ids.length === 0 ? [] : (await trx.executeQuery(prepared(trx.selectFrom('company').select(['id', companyJson.as('json')]).where('tenantId', '=', tenantId)
      .where(sql<SqlBool>`${sql.ref('id')} = any(${ids}::uuid[])`).where(ownerCondition(sql.ref('ownerId'), options.owners))))).rows;
    return jsonPageOf(rows, options.limit, new Map(texts.map((text) => [text.id, text.json])));
  },

  async countCapped(trx: Trx, tenantId: string, filters: CompanyFilters) {
    const { rows } = await sql<{ count: string }>`select count(*) as count from (${
      trx.selectFrom('company').select(sql.lit(1).as('one')).where('tenantId', '=', tenantId).where(matches(filters)).limit(maxCount + 1)
    }) as capped`.execute(trx);
    const count = Number(rows[0].count);
    return { count: Math.min(count, maxCount), capped: count > maxCount };
  },

  async insert(trx: Trx, row: CompanyValues & { tenantId: string; id: string; customFields?: string; createdAt: Date; updatedAt: Date }) {
    return companyRowOf(await trx.insertInto('company').values(row).returning(readColumns).returning(customFieldsText('company')).executeTakeFirstOrThrow());
  },

  async update(trx: Trx, tenantId: string, id: string, values: Partial<CompanyValues> & { customFields?: string; updatedAt: Date }) {
    return companyRowOf(await trx.updateTable('company').set(values).where('tenantId', '=', tenantId).where('id', '=', id)
      .returning(readColumns).returning(customFieldsText('company')).executeTakeFirstOrThrow());
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('company').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },
};
