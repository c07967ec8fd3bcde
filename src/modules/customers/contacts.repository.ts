// Reads and writes of the contact table. Every query names the tenant as well, although
// row-level security would hide other tenants' rows anyway: two walls.
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { ContactTable, DB } from '../../db/schema.js';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { customFieldsText, withCustomFields } from './customers.custom-fields.repository.js';
import { tagNames } from './customers.tags.repository.js';
import { afterCursor, containsPattern, encodeCursor, maxCount, parseSort, type SortColumn } from '../../platform/keyset.js';

export type ContactRow = Selectable<ContactTable> & { companyName: string | null; tags: string[] };
export type ContactValues = Pick<ContactTable, 'name' | 'email' | 'phone' | 'title' | 'companyId' | 'ownerId'>;
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

const sortValueOf: Record<string, (row: ContactRow) => unknown> = {
  name: (row) => row.name,
  email: (row) => row.email ?? '',
  createdAt: (row) => row.createdAt,
  updatedAt: (row) => row.updatedAt,
};

function selectContacts(trx: Trx, tenantId: string) {
  return trx.selectFrom('contact as c')
    .leftJoin('company as co', (join) => join.onRef('co.tenantId', '=', 'c.tenantId').onRef('co.id', '=', 'c.companyId'))
    .selectAll('c')
    .select('co.name as companyName')
    .select([tagNames('contact', 'c'), customFieldsText('c')])
    .where('c.tenantId', '=', tenantId);
}

function matches(filters: ContactFilters) {
  return (eb: ExpressionBuilder<DB & { c: ContactTable; co: DB['company'] }, 'c' | 'co'>) => {
    const conditions = [ownerCondition(sql.ref('c.ownerId'), filters.owners)];
    const hidden = new Set(filters.hiddenFields ?? []);
    if (filters.companyId) conditions.push(eb('c.companyId', '=', filters.companyId));
    if (filters.email) conditions.push(eb('c.email', '=', filters.email.trim().toLowerCase()));
    if (filters.ownerId) conditions.push(eb('c.ownerId', '=', filters.ownerId));
    conditions.push(...(filters.extraConditions ?? []));
    const q = filters.q?.trim();
    if (q) {
      const pattern = containsPattern(q);
      // Digits without a trunk 0, so "020 7946 0958" finds +442079460958.
      const digits = q.replace(/\D/g, '').replace(/^0+/, '');
      conditions.push(eb.or([
        eb('c.name', 'ilike', pattern),
        ...(hidden.has('email') ? [] : [eb('c.email', 'ilike', pattern)]),
        eb('co.name', 'ilike', pattern),
        ...(hidden.has('phone') ? [] : phoneConditions(eb, filters.phoneSearch, digits)),
      ]));
    }
    return eb.and(conditions);
  };
}

function phoneConditions(eb: ExpressionBuilder<DB & { c: ContactTable }, 'c'>, phoneSearch: ContactFilters['phoneSearch'], digits: string) {
  if (!phoneSearch) return digits.length >= 3 ? [eb('c.phone', 'like', `%${digits}%`)] : [];
  return [
    ...(phoneSearch.indexes.length ? [eb('c.phoneIndex', 'in', phoneSearch.indexes)] : []),
    ...(phoneSearch.values.length ? [eb('c.phone', 'in', phoneSearch.values)] : []),
  ];
}

export const contactsRepository = {
  async find(trx: Trx, tenantId: string, id: string, { forUpdate = false, owners }: { forUpdate?: boolean; owners?: OwnerFilter } = {}): Promise<ContactRow | undefined> {
    let query = selectContacts(trx, tenantId).where('c.id', '=', id).where(ownerCondition(sql.ref('c.ownerId'), owners));
    if (forUpdate) query = query.forUpdate('c');
    const row = await query.executeTakeFirst();
    return row && withCustomFields(row);
  },

  async findIdByEmail(trx: Trx, tenantId: string, email: string): Promise<string | undefined> {
    const row = await trx.selectFrom('contact').select('id').where('tenantId', '=', tenantId).where('email', '=', email).executeTakeFirst();
    return row?.id;
  },

  async list(trx: Trx, tenantId: string, options: ContactFilters & { limit: number; cursor?: string; sort: string; extraSorts?: Record<string, SortColumn> }) {
    const sort = parseSort(options.sort, { ...sortColumns, ...options.extraSorts });
    const direction = sort.descending ? 'desc' : 'asc';
    let query = selectContacts(trx, tenantId).select(sort.column.expression.as('sortValue')).where(matches(options))
      .orderBy(sort.column.expression, direction).orderBy('c.id', direction).limit(options.limit + 1);
    if (options.cursor) query = query.where(afterCursor(sort, sql.ref('c.id'), options.cursor));
    const rows = (await query.execute()).map(withCustomFields);
    const items = rows.slice(0, options.limit);
    const last = items[items.length - 1];
    const field = options.sort.replace(/^-/, '');
    return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(sortValueOf[field]?.(last) ?? last.sortValue, last.id) : null };
  },

  async countCapped(trx: Trx, tenantId: string, filters: ContactFilters) {
    // Only a search needs the company join (it matches company names); a plain count is an
    // index-only scan of contact.
    const base = filters.q?.trim()
      ? selectContacts(trx, tenantId).clearSelect()
      : trx.selectFrom('contact as c').where('c.tenantId', '=', tenantId) as unknown as ReturnType<typeof selectContacts>;
    const { rows } = await sql<{ count: string }>`select count(*) as count from (${
      base.select(sql.lit(1).as('one')).where(matches(filters)).limit(maxCount + 1)
    }) as capped`.execute(trx);
    const count = Number(rows[0].count);
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
