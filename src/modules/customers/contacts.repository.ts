// Reads and writes of the contact table. Every query names the tenant as well, although
// row-level security would hide other tenants' rows anyway: two walls.
import { sql, type Compilable, type CompiledQuery, type Expression, type ExpressionBuilder, type JoinBuilder, type RawBuilder, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ContactTable, DB } from '../../db/schema.js';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { normaliseOwnerFilter, ownerCondition, ownerIdsCondition } from '../../platform/authorization/owner-condition.js';
import { queryBuilder, type Trx } from '../../platform/db.js';
import { customFieldsText } from './customers.custom-fields.repository.js';
import { tagNames, tagNamesJson } from './customers.tags.repository.js';
import { parseSearchText, type SearchText } from './customers.search.text.js';
import { afterCursor, afterSortValue, checkedCursorValue, cursorValue, decodeCursor, maxCount, parseSort, type KeysetSort, type SortColumn } from '../../platform/keyset.js';
import { pageLimit, preparedTemplate, rowsOf, type Slot } from '../../platform/prepared-statements.js';
import { jsonObjectText, jsonPageOf, type JsonPage, type JsonPageRow } from '../../platform/json-text.js';
import { merged } from '../../platform/objects.js';

/** A contact as reads return it: the columns the API answers with, not tenant_id or the phone's blind index. */
export type ContactRow = Omit<Selectable<ContactTable>, 'tenantId' | 'phoneIndex'> & { companyName: string | null; tags: string[] };
export type ContactValues = Pick<ContactTable, 'name' | 'email' | 'phone' | 'title' | 'companyId' | 'ownerId'>;
/** A row as the query returns it, custom fields still JSON text (contactRowOf parses them). */
type SelectedContactRow = Omit<ContactRow, 'customFields'> & { customFieldsJson: string };
/** A contact with its phone's blind index, which a write's duplicate check matches encrypted phones by. */
export type StoredContactRow = ContactRow & { phoneIndex: Buffer | null };
/** What the table stores: the phone may be ciphertext, with its blind index. */
export type StoredContactValues = ContactValues & { phoneIndex?: Buffer | null; customFields?: string };

export interface ContactFilters {
  /** The actor's read scope: which owners' contacts are visible at all. */
  owners?: OwnerFilter;
  /** Fields hidden from the actor, which a search must not match on either. */
  hiddenFields?: string[];
  q?: string;
  /**
   * Set when the workspace encrypts phones: a search then matches a phone only by equality,
   * on the blind index (or on legacy plaintext rows not yet encrypted), never by digits.
   */
  phoneSearch?: { values: string[]; indexes: Buffer[] };
  companyId?: string;
  email?: string;
  ownerId?: string;
  /** Custom field, tag, segment and view conditions (customers.segments.lists.ts). */
  extraConditions?: Expression<SqlBool>[];
}

const sortColumns: Record<string, SortColumn> = {
  name: { expression: sql.ref('c.name'), type: 'text' },
  email: { expression: sql`coalesce(${sql.ref('c.email')}, '')`, type: 'text' },
  createdAt: { expression: sql.ref('c.createdAt'), type: 'timestamptz' },
  updatedAt: { expression: sql.ref('c.updatedAt'), type: 'timestamptz' },
};

// Named, not `c.*`: a list page parses every column of every row, and the rest (tenant id,
// blind index, custom_fields as jsonb besides its text) cost a third of that parsing for nothing.
const readColumns = ['c.id', 'c.name', 'c.email', 'c.phone', 'c.title', 'c.companyId', 'c.ownerId', 'c.createdAt', 'c.updatedAt'] as const;

/**
 * The row with its custom fields parsed, built field by field: every contact row then has one
 * shape, which keeps the code reading them (toContact, the JSON serializer) fast.
 */
function contactRowOf(row: SelectedContactRow): ContactRow {
  return {
    id: row.id, name: row.name, email: row.email, phone: row.phone, title: row.title, companyId: row.companyId, companyName: row.companyName,
    ownerId: row.ownerId, customFields: JSON.parse(row.customFieldsJson) as ContactRow['customFields'], tags: row.tags, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

/** The join to a contact's company (its name, and a search matching company names). */
const companyOfContact = (join: JoinBuilder<DB & { c: ContactTable; co: DB['company'] }, 'c' | 'co'>) =>
  join.onRef('co.tenantId', '=', 'c.tenantId').onRef('co.id', '=', 'c.companyId');

/**
 * A contact as the API answers with it, as JSON text built by PostgreSQL (platform/json-text.ts):
 * the Contact schema's fields in its order. A list page passes it through, with no row parsed.
 */
const contactJson = jsonObjectText([
  { key: 'id', uuid: sql.ref('c.id') }, { key: 'name', value: sql.ref('c.name') }, { key: 'email', value: sql.ref('c.email') },
  { key: 'phone', value: sql.ref('c.phone') }, { key: 'title', value: sql.ref('c.title') }, { key: 'companyId', uuid: sql.ref('c.companyId') },
  { key: 'companyName', value: sql.ref('co.name') }, { key: 'ownerId', uuid: sql.ref('c.ownerId') },
  { key: 'customFields', json: sql`${sql.ref('c.customFields')}::text` }, { key: 'tags', json: tagNamesJson('contact', 'c') },
  { key: 'createdAt', timestamp: sql.ref('c.createdAt') }, { key: 'updatedAt', timestamp: sql.ref('c.updatedAt') },
]);

function selectContacts(trx: Trx, tenantId: string) {
  return trx.selectFrom('contact as c')
    .leftJoin('company as co', companyOfContact)
    .select(readColumns)
    .select('co.name as companyName')
    .select([tagNames('contact', 'c'), customFieldsText('c')])
    .where('c.tenantId', '=', tenantId);
}

/** At most this many companies' ids go into a contact search; more and the search joins instead. */
const companyMatchLimit = 500;

/**
 * The search of a contact list as one OR over indexed columns, so PostgreSQL can answer it with
 * a BitmapOr of index scans rather than a walk through every contact in name order. The
 * company-name part is the one that would need a join: the matching companies' ids are found
 * first (their name index) and become `company_id = any(…)`, unless there are too many of them.
 */
async function searchCondition(trx: Trx, tenantId: string, filters: ContactFilters): Promise<{ condition: Expression<SqlBool>; isIndexed: boolean } | undefined> {
  const q = filters.q?.trim();
  if (!q) return undefined;
  const text = parseSearchText(q);
  const hidden = new Set(filters.hiddenFields ?? []);
  // One or two characters (not a CJK pair) give trigrams nothing to find: such a term matches
  // names with a word that begins with it, through the word index.
  const isShort = !text.isTrigramUsable && text.cjkBigrams === null;
  const isIndexable = !isShort || text.words !== null;
  let companyCondition: Expression<SqlBool> = sql<SqlBool>`${sql.ref('co.name')} ilike ${text.pattern}`;
  if (isIndexable) {
    const companies = await trx.selectFrom('company').select('id').where('tenantId', '=', tenantId)
      .where(nameMatches(sql.ref('name'), text)).limit(companyMatchLimit + 1).execute();
    if (companies.length <= companyMatchLimit) {
      const ids = companies.map((company) => company.id);
      companyCondition = ids.length ? sql<SqlBool>`${sql.ref('c.companyId')} = any(${ids}::uuid[])` : sql<SqlBool>`false`;
    }
  }
  // Digits without a trunk 0, so "020 7946 0958" finds +442079460958.
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  const condition = sql<SqlBool>`(${sql.join([
    nameMatches(sql.ref('c.name'), text),
    // Not for CJK or short text: no index could serve it, and one unindexed arm turns the whole
    // OR into a walk through every contact (16 s at 1M). Emails are ASCII anyway.
    ...(hidden.has('email') || text.cjkBigrams || isShort ? [] : [sql<SqlBool>`${sql.ref('c.email')} ilike ${text.pattern}`]),
    companyCondition,
    ...(hidden.has('phone') ? [] : phoneConditions(filters.phoneSearch, digits)),
  ], sql` or `)})`;
  return { condition, isIndexed: isIndexable };
}

/** The ids of up to `cap` matching contacts: in no order, or in `order` after its cursor. */
async function listMatchingIds(trx: Trx, tenantId: string, filters: ContactFilters, search: Expression<SqlBool>, cap: number, order?: { sort: KeysetSort; cursor?: string }): Promise<string[]> {
  let query = trx.selectFrom('contact as c')
    .leftJoin('company as co', companyOfContact)
    .select('c.id').where('c.tenantId', '=', tenantId).where(matches(filters, search)).limit(cap);
  if (order) {
    const direction = order.sort.descending ? 'desc' : 'asc';
    query = query.orderBy(order.sort.column.expression, direction).orderBy('c.id', direction);
    if (order.cursor) query = query.where(afterCursor(order.sort, sql.ref('c.id'), order.cursor));
  }
  const rows = await query.execute();
  return rows.map((row) => row.id);
}

/** How many contacts match, counting no further than `cap`. */
async function countUpTo(trx: Trx, tenantId: string, filters: ContactFilters, search: Awaited<ReturnType<typeof searchCondition>>, cap: number): Promise<number> {
  // Only a search needs the company join (it matches company names); a plain count is an
  // index-only scan of contact.
  const base = search
    ? selectContacts(trx, tenantId).clearSelect()
    : trx.selectFrom('contact as c').where('c.tenantId', '=', tenantId) as unknown as ReturnType<typeof selectContacts>;
  const { rows } = await sql<{ count: string }>`select count(*) as count from (${
    base.select(sql.lit(1).as('one')).where(matches(filters, search?.condition)).limit(cap)
  }) as capped`.execute(trx);
  return Number(rows[0].count);
}

/** Up to this many matches are sorted whole; more, and a page of them is looked for along the sort index first. */
const sortedMatchLimit = 1000;

/**
 * The sort column as an expression no index has, so PostgreSQL sorts the matches its search
 * indexes found. Left alone, it may walk the sort index and test each contact, which for a
 * rare term reads every one (4 s at 1M contacts).
 */
function withoutSortIndex(sort: KeysetSort): KeysetSort {
  const { expression, type } = sort.column;
  const unindexed = type === 'text' ? sql`(${expression} || '')` : type === 'numeric' ? sql`(${expression} + 0)` : sql`(${expression} + interval '0 seconds')`;
  return merged(sort, { column: { expression: unindexed, type } });
}

/**
 * A name containing the text: through the CJK bigram index for CJK text, the word index for a
 * short term (a word of the name begins with it), else trigrams (ILIKE); ILIKE always confirms.
 */
function nameMatches(column: RawBuilder<unknown>, text: SearchText): Expression<SqlBool> {
  if (text.cjkBigrams) return sql<SqlBool>`(customer_name_bigrams(${column}) @> ${text.cjkBigrams}::text[] and ${column} ilike ${text.pattern})`;
  if (!text.isTrigramUsable && text.words) return sql<SqlBool>`(customer_words(${column}) @@ to_tsquery('simple', ${text.words}) and ${column} ilike ${text.pattern})`;
  return sql<SqlBool>`${column} ilike ${text.pattern}`;
}

function matches(filters: ContactFilters, search: Expression<SqlBool> | undefined) {
  return (eb: ExpressionBuilder<DB & { c: ContactTable; co: DB['company'] }, 'c' | 'co'>) => {
    const conditions = [ownerCondition(sql.ref('c.ownerId'), filters.owners)];
    if (filters.companyId) conditions.push(eb('c.companyId', '=', filters.companyId));
    if (filters.email) conditions.push(eb('c.email', '=', filters.email.trim().toLowerCase()));
    if (filters.ownerId) conditions.push(eb('c.ownerId', '=', filters.ownerId));
    conditions.push(...(filters.extraConditions ?? []));
    if (search) conditions.push(search);
    return eb.and(conditions);
  };
}

function phoneConditions(phoneSearch: ContactFilters['phoneSearch'], digits: string): Expression<SqlBool>[] {
  const phone = sql.ref('c.phone');
  if (!phoneSearch) {
    // Ciphertext is never searched by digits; saying so lets contact_phone_trgm serve the match.
    return digits.length >= 3 ? [sql<SqlBool>`(${phone} like ${`%${digits}%`} and ${phone} not like 'enc:%')`] : [];
  }
  return [
    ...(phoneSearch.indexes.length ? [sql<SqlBool>`${sql.ref('c.phoneIndex')} in (${sql.join(phoneSearch.indexes)})`] : []),
    ...(phoneSearch.values.length ? [sql<SqlBool>`${phone} = any(${phoneSearch.values}::text[])`] : []),
  ];
}

/** `c.id = any(ids)`, the ids a slot of a prepared template. */
const idIn = (ids: Slot) => sql<SqlBool>`${sql.ref('c.id')} = any(${ids}::uuid[])`;

/**
 * A read by ids plans the same for any ids, so it is prepared, and built once per kind of owner
 * scope (prepared-statements.ts). Slots: tenant, ids, then the owner ids if any.
 */
function byIdsQuery<Row>(select: (tenantId: string, ids: Slot, owners: Expression<SqlBool>) => Compilable<Row>) {
  const templates = {
    all: preparedTemplate<[string, string[]], Row>((tenantId, ids) => select(tenantId as unknown as string, ids, ownerCondition(sql.ref('c.ownerId'), { kind: 'all' })), 2),
    none: preparedTemplate<[string, string[]], Row>((tenantId, ids) => select(tenantId as unknown as string, ids, ownerCondition(sql.ref('c.ownerId'), { kind: 'none' })), 2),
    owners: preparedTemplate<[string, string[], string[]], Row>((tenantId, ids, ownerIds) => select(tenantId as unknown as string, ids, ownerIdsCondition(sql.ref('c.ownerId'), ownerIds)), 3),
  };
  return (tenantId: string, ids: string[], owners: OwnerFilter | undefined): CompiledQuery<Row> => {
    const scope = normaliseOwnerFilter(owners);
    return scope.kind === 'owners' ? templates.owners(tenantId, ids, scope.ownerIds) : templates[scope.kind](tenantId, ids);
  };
}

/**
 * Contacts' JSON texts by id: for gets that arrive together (platform/read-batches.ts), and for a
 * page whose ids a query planned for its values found (listPage). The JSON expression is most of
 * the statement's text: parsed and planned on every page, it cost PostgreSQL ~120 µs a page, more
 * than the JSON of a short page itself.
 */
const jsonByIdsQuery = byIdsQuery((tenantId, ids, owners) => selectPageKeys(queryBuilder, tenantId).select(contactJson.as('json')).where(idIn(ids)).where(owners));

type ContactListOptions = ContactFilters & { limit: number; cursor?: string; sort: string; extraSorts?: Record<string, SortColumn> };

/**
 * How far a common term's page looks along the sort order before it sorts all the matches
 * instead: at 1M contacts, 20,000 rows in name order cost ~40 ms, sorting 27,000 matches ~170 ms.
 */
const walkWindowRows = (limit: number) => Math.max(20_000, 100 * (limit + 1));

/**
 * The ids of the next page of matches (up to limit + 1) among the tenant's next `rows` contacts in
 * sort order after the cursor. Only the columns a search reads are used, which the name index
 * holds (migration 0011): in name order this is an index-only scan.
 */
async function walkForPage(trx: Trx, tenantId: string, options: ContactListOptions, sort: KeysetSort, search: Expression<SqlBool>, rows: number): Promise<string[]> {
  const direction = sort.descending ? 'desc' : 'asc';
  const window = trx.selectFrom('contact as c').selectAll('c').where('c.tenantId', '=', tenantId)
    .$if(options.cursor !== undefined, (select) => select.where(afterCursor(sort, sql.ref('c.id'), options.cursor!)))
    .orderBy(sort.column.expression, direction).orderBy('c.id', direction).limit(rows);
  const found = await trx.selectFrom(window.as('c') as unknown as 'contact as c')
    .leftJoin('company as co', companyOfContact)
    .select('c.id').where(matches(options, search))
    .orderBy(sort.column.expression, direction).orderBy('c.id', direction).limit(options.limit + 1).execute();
  return found.map((row) => row.id);
}

/** A page's contacts by id: what the page's conditions read (the company's name for a search), and the ids. */
function selectPageKeys(trx: Trx, tenantId: string) {
  return trx.selectFrom('contact as c')
    .leftJoin('company as co', companyOfContact)
    .select('c.id')
    .where('c.tenantId', '=', tenantId);
}

type PageSelect<Row extends { id: string }> = SelectQueryBuilder<DB & { c: ContactTable; co: DB['company'] }, 'c' | 'co', Row>;

/** The page's order and size, and each row's cursor value, around a select that has its conditions. */
function pageQuery<Row extends { id: string }>(select: PageSelect<Row>, sort: KeysetSort, limit: number | RawBuilder<number>) {
  const direction = sort.descending ? 'desc' : 'asc';
  return select.select(cursorValue(sort.column).as('sortValue'))
    .orderBy(sort.column.expression, direction).orderBy('c.id', direction).limit(limit);
}

const plainPageTemplates = new Map<string, (...values: unknown[]) => CompiledQuery<JsonPageRow>>();
/** Shapes past this many (page sizes are 1–200) are built on every request instead. */
const maxPlainPageTemplates = 500;

/**
 * A plain page (sorted by a column, no search or filter) as a prepared template, built and
 * compiled once per shape: sort, page size, kind of owner scope, first page or after a cursor.
 * Built by Kysely on every request, it cost about 5 % of the server's CPU per list page.
 * Slots: tenant, then the owner ids if any, then the cursor's value and id if any.
 */
function plainPageQuery(tenantId: string, options: ContactListOptions, sort: KeysetSort): CompiledQuery<JsonPageRow> | undefined {
  const scope = normaliseOwnerFilter(options.owners);
  const decoded = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const cursor = decoded && [checkedCursorValue(sort, decoded[0]), decoded[1]];
  const key = `${options.sort} ${options.limit} ${scope.kind} ${cursor ? 'after' : 'first'}`;
  let template = plainPageTemplates.get(key);
  if (!template) {
    if (plainPageTemplates.size >= maxPlainPageTemplates) return undefined;
    const ownerSlots = scope.kind === 'owners' ? 1 : 0;
    template = preparedTemplate<unknown[], JsonPageRow>((tenantSlot, ...slots) => {
      const owners = scope.kind === 'owners' ? ownerIdsCondition(sql.ref('c.ownerId'), slots[0]) : ownerCondition(sql.ref('c.ownerId'), scope);
      const [cursorValue, cursorId] = slots.slice(ownerSlots);
      const select = selectPageKeys(queryBuilder, tenantSlot as unknown as string).select(contactJson.as('json')).where(owners)
        .$if(cursor !== undefined, (query) => query.where(afterSortValue(sort, sql.ref('c.id'), cursorValue, cursorId)));
      return pageQuery(select, sort, pageLimit(options.limit, true)) as unknown as Compilable<JsonPageRow>;
    }, 1 + ownerSlots + (cursor ? 2 : 0));
    plainPageTemplates.set(key, template);
  }
  return template(tenantId, ...(scope.kind === 'owners' ? [scope.ownerIds] : []), ...(cursor ?? []));
}

/**
 * One page of the list in `sort` order, of the contacts meeting the filters and `condition`: each
 * contact's JSON text, its phone and sensitive custom fields as stored (perhaps sealed).
 */
async function listPage(trx: Trx, tenantId: string, options: ContactListOptions, sort: KeysetSort, condition: Expression<SqlBool> | undefined): Promise<JsonPage> {
  // A plain page walks its sort index whatever the tenant or cursor, so it is prepared and
  // planned once; a search, a custom-field sort or a filter on a column whose values skew
  // (company, owner) is planned for its values each time.
  const isPlainPage = !condition && !options.extraConditions?.length && !options.companyId && !options.ownerId && Object.values(sortColumns).includes(sort.column);
  const template = isPlainPage && !options.email ? plainPageQuery(tenantId, options, sort) : undefined;
  if (template) return jsonPageOf((await trx.executeQuery(template)).rows, options.limit);
  // The page's ids and cursor values by a query planned for its values, their JSON by a prepared
  // one (jsonByIdsQuery).
  const rows = await rowsOf(trx, pageQuery(
    selectPageKeys(trx, tenantId).where(matches(options, condition)).$if(options.cursor !== undefined, (query) => query.where(afterCursor(sort, sql.ref('c.id'), options.cursor!))),
    sort, pageLimit(options.limit, isPlainPage),
  ), isPlainPage);
  const ids = rows.slice(0, options.limit).map((row) => row.id);
  const texts = ids.length === 0 ? [] : (await trx.executeQuery(jsonByIdsQuery(tenantId, ids, options.owners))).rows;
  return jsonPageOf(rows, options.limit, new Map(texts.map((text) => [text.id, text.json])));
}

export const contactsRepository = {
  /** The contact, locked for a write in this transaction; reads go through findManyJson. */
  async findForUpdate(trx: Trx, tenantId: string, id: string, owners: OwnerFilter | undefined): Promise<ContactRow | undefined> {
    const row = await selectContacts(trx, tenantId).where('c.id', '=', id).where(ownerCondition(sql.ref('c.ownerId'), owners)).forUpdate('c').executeTakeFirst();
    return row && contactRowOf(row);
  },

  /**
   * The JSON texts (as a list page holds them) of the contacts of these ids the owner scope
   * covers, in no particular order; ids not found are left out.
   */
  async findManyJson(trx: Trx, tenantId: string, ids: string[], owners: OwnerFilter | undefined): Promise<{ id: string; json: string }[]> {
    return (await trx.executeQuery(jsonByIdsQuery(tenantId, ids, owners))).rows;
  },

  /** The contact as stored, blind index included, for what a write does after it (duplicate warnings). */
  async findStored(trx: Trx, tenantId: string, id: string): Promise<StoredContactRow | undefined> {
    const row = await selectContacts(trx, tenantId).select('c.phoneIndex').where('c.id', '=', id).executeTakeFirst();
    return row && Object.assign(contactRowOf(row), { phoneIndex: row.phoneIndex });
  },

  async findIdByEmail(trx: Trx, tenantId: string, email: string): Promise<string | undefined> {
    const row = await trx.selectFrom('contact').select('id').where('tenantId', '=', tenantId).where('email', '=', email).executeTakeFirst();
    return row?.id;
  },

  async list(trx: Trx, tenantId: string, options: ContactListOptions) {
    const search = await searchCondition(trx, tenantId, options);
    const sort = parseSort(options.sort, Object.assign({}, sortColumns, options.extraSorts));
    if (!search?.isIndexed) return listPage(trx, tenantId, options, sort, search?.condition);
    // A rare term's matches are found through the search indexes (ids, capped) and sorted.
    const ids = await listMatchingIds(trx, tenantId, options, search.condition, sortedMatchLimit + 1);
    const byIds = (pageIds: string[]) => listPage(trx, tenantId, options, withoutSortIndex(sort), sql<SqlBool>`${sql.ref('c.id')} = any(${pageIds}::uuid[])`);
    if (ids.length <= sortedMatchLimit) return byIds(ids);
    // A common one's in the next contacts in sort order, if a page of them is there; else all of
    // them are sorted, by id alone. Either way the page is then read by id. Walking on until a
    // page is met read half the tenant for a first name that sorts late ("mateo" at 1M: 1.5 s).
    const walked = await walkForPage(trx, tenantId, options, sort, search.condition, walkWindowRows(options.limit));
    if (walked.length > options.limit) return byIds(walked);
    return byIds(await listMatchingIds(trx, tenantId, options, search.condition, options.limit + 1, { sort: withoutSortIndex(sort), cursor: options.cursor }));
  },

  async countCapped(trx: Trx, tenantId: string, filters: ContactFilters) {
    const count = await countUpTo(trx, tenantId, filters, await searchCondition(trx, tenantId, filters), maxCount + 1);
    return { count: Math.min(count, maxCount), capped: count > maxCount };
  },

  async insert(trx: Trx, row: StoredContactValues & { tenantId: string; id: string; createdAt: Date; updatedAt: Date }) {
    await trx.insertInto('contact').values(row).execute();
  },

  async update(trx: Trx, tenantId: string, id: string, values: Partial<StoredContactValues> & { updatedAt: Date }) {
    await trx.updateTable('contact').set(values).where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },

  /** A batch of stored phones in id order, locked, for the encryption job. */
  listPhonesAfter(trx: Trx, tenantId: string, afterId: string | null, limit: number) {
    let query = trx.selectFrom('contact').select(['id', 'phone']).where('tenantId', '=', tenantId).where('phone', 'is not', null)
      .orderBy('id').limit(limit).forUpdate();
    if (afterId) query = query.where('id', '>', afterId);
    return query.execute();
  },

  /** Rewrites a stored phone in another form (encrypted, re-keyed, or decrypted): not a change of the record. */
  async setStoredPhone(trx: Trx, tenantId: string, id: string, phone: string | null, phoneIndex: Buffer | null) {
    await trx.updateTable('contact').set({ phone, phoneIndex }).where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },

  /** Clears company_id on the company's contacts and returns their ids. */
  async unlinkCompany(trx: Trx, tenantId: string, companyId: string, updatedAt: Date): Promise<string[]> {
    const rows = await trx.updateTable('contact').set({ companyId: null, updatedAt })
      .where('tenantId', '=', tenantId).where('companyId', '=', companyId).returning('id').execute();
    return rows.map((row) => row.id);
  },

  async delete(trx: Trx, tenantId: string, id: string) {
    await trx.deleteFrom('contact').where('tenantId', '=', tenantId).where('id', '=', id).execute();
  },
};
