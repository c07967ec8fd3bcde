// Companies: the organisations contacts work at. The domain is derived from the website or a
// work email, for duplicate detection and search. Every write appends to the change log.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { PermissionDeniedError, type Authorization, type OwnerFilter, type Permissions } from '../../platform/authorization/authorization.js';
import { normaliseOwnerFilter, ownerScopeKey } from '../../platform/authorization/owner-condition.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import { createReadBatcher } from '../../platform/read-batches.js';
import { isoString } from '../../platform/timestamps.js';
import { companiesRepository as repository, type CompanyRow, type CompanyValues } from './companies.repository.js';
import { contactsRepository } from './contacts.repository.js';
import { assertOwnerAssignable } from './contacts.service.js';
import { companyDuplicateWarnings } from './customers.duplicates.warnings.js';
import { applyCustomFields, validateCustomFields } from './customers.custom-fields.service.js';
import { openCustomFields, sealCustomFieldChange } from './customers.custom-fields.sealing.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { merged } from '../../platform/objects.js';
import { pageAnswer, pageItems, type JsonPage, type PageReader } from '../../platform/json-text.js';
import { domainFrom, normaliseEmail, normalisePhone, normaliseWebsite } from './customers.normalise.js';
import { listExtras, type ListExtrasQuery } from './customers.segments.lists.js';
import type { CappedCount, Company, CompanyListQuery, CreateCompany, UpdateCompany } from './customers.schemas.js';

export function toCompany(row: CompanyRow, contactCount?: number): Company {
  return {
    id: row.id, name: row.name, website: row.website, domain: row.domain, email: row.email, phone: row.phone,
    industry: row.industry, city: row.city, country: row.country, ownerId: row.ownerId,
    ...(contactCount === undefined ? {} : { contactCount }), customFields: row.customFields, tags: row.tags ?? [],
    createdAt: isoString(row.createdAt), updatedAt: isoString(row.updatedAt),
  };
}

// Tags are logged by the tag service when they change.
const logged = ({ tenantId: _tenant, id: _id, createdAt: _created, updatedAt: _updated, tags: _tags, ...fields }: CompanyRow) => fields;

const blankToNull = (value: string | null | undefined) => value?.trim() || null;

/** Normalises the given fields; the domain follows whichever of website and email is known. */
function prepare(input: UpdateCompany, current?: CompanyRow): Partial<CompanyValues> {
  const values: Partial<CompanyValues> = {};
  if (input.name !== undefined) {
    values.name = input.name.trim();
    if (!values.name) throw new FieldError('validation.failed', 'name', 'must not be empty');
  }
  for (const field of ['industry', 'city', 'country'] as const) {
    if (input[field] !== undefined) values[field] = blankToNull(input[field]);
  }
  if (input.website !== undefined) {
    const website = blankToNull(input.website);
    values.website = website ? normaliseWebsite(website, 'company.website_invalid') : null;
  }
  if (input.email !== undefined) values.email = input.email ? normaliseEmail(input.email) : null;
  if (input.phone !== undefined) {
    const phone = blankToNull(input.phone);
    values.phone = phone ? normalisePhone(phone, 'company.phone_invalid') : null;
  }
  if (input.ownerId !== undefined) values.ownerId = input.ownerId;
  if (input.website !== undefined || input.email !== undefined || !current) {
    values.domain = domainFrom(
      values.website !== undefined ? values.website : current?.website,
      values.email !== undefined ? values.email : current?.email,
    );
  }
  return values;
}

const object = 'company';

export interface CompanyServiceDeps {
  database: Database;
  authorization: Authorization;
  encryption: FieldEncryption;
  /** Told how many gets each batched query served (platform/read-batches.ts). */
  onBatch?: (size: number) => void;
}

/** What a batched get reads: who may see which companies, and whose contacts they count. */
interface CompanyReadScope {
  tenantId: string;
  owners: OwnerFilter;
  contactOwners: OwnerFilter;
}

export function createCompanyService({ database, authorization, encryption, onBatch }: CompanyServiceDeps) {
  /** The row with its sensitive custom fields decrypted, for answers and comparisons. */
  async function readable<Row extends Pick<CompanyRow, 'customFields'>>(trx: Trx, tenantId: string, row: Row): Promise<Row> {
    const customFields = await openCustomFields(encryption, trx, tenantId, object, row.customFields);
    return customFields === row.customFields ? row : merged(row, { customFields });
  }

  /**
   * The company if the actor may read it, locked for the write that follows; out of scope is not
   * found, so existence does not leak.
   */
  async function getRowForUpdate(trx: Trx, permissions: Permissions, id: string) {
    const row = await repository.findForUpdate(trx, permissions.actor.tenantId, id, permissions.ownerFilter('read', object));
    if (!row) throw new NotFoundError('company', id);
    return row;
  }

  async function permissionsFor(actor: Actor, action: 'read' | 'create' | 'update' | 'delete') {
    const permissions = await authorization.of(actor);
    permissions.assertCan(action, object);
    return permissions;
  }

  /** A transaction whose unknown owner (a foreign key violation) is a 400 naming ownerId. */
  async function write<T>(tenantId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
    try {
      return await database.forTenant(tenantId, work);
    } catch (error) {
      const pgError = error as { code?: string; constraint?: string };
      if (pgError.code === '23503' && pgError.constraint?.includes('owner_id')) {
        throw new FieldError('company.owner_not_found', 'ownerId', 'No user with this id in this workspace');
      }
      throw error;
    }
  }

  /**
   * Gets of one workspace and read scope that arrive in the same turn of the event loop share
   * one query for the companies and one for their contact counts (platform/read-batches.ts).
   */
  const gets = createReadBatcher<CompanyReadScope, { row: CompanyRow; contactCount: number }>({
    onBatch,
    read: ({ tenantId, owners, contactOwners }, ids) => database.readTenant(tenantId, async (trx) => {
      const rows = await repository.findMany(trx, tenantId, ids, owners);
      const counts = rows.length === 0 ? new Map<string, number>() : await repository.countContactsOfMany(trx, tenantId, rows.map((row) => row.id), contactOwners);
      return new Map(await Promise.all(rows.map(async (row) => [row.id, { row: await readable(trx, tenantId, row), contactCount: counts.get(row.id) ?? 0 }] as const)));
    }),
  });

  const contactCount = async (trx: Trx, permissions: Permissions, id: string) =>
    (await repository.countContactsOfMany(trx, permissions.actor.tenantId, [id], permissions.ownerFilter('read', 'contact'))).get(id) ?? 0;

  /** A page of the list, as the repository reads it, handed to `present` with the actor's reader, in the same transaction. */
  async function readPage<T>(actor: Actor, query: CompanyListQuery, present: (page: JsonPage, reader: PageReader<Company>) => Promise<T>): Promise<T> {
    const permissions = await permissionsFor(actor, 'read');
    const hiddenFields = permissions.hiddenFields(object);
    const sortField = (query.sort ?? 'name').replace('-', '');
    if (hiddenFields.includes(sortField)) throw new PermissionDeniedError('read', object, sortField);
    if (query['filter[domain]'] !== undefined && hiddenFields.includes('domain')) throw new PermissionDeniedError('read', object, 'domain');
    return database.readTenant(actor.tenantId, async (trx) => {
      const extras = await listExtras(trx, permissions, object, query as ListExtrasQuery, 'company');
      const page = await repository.list(trx, actor.tenantId, {
        owners: permissions.ownerFilter('read', object), hiddenFields, extraConditions: extras.conditions, extraSorts: extras.sorts,
        limit: query.limit ?? 50, cursor: query.cursor, sort: query.sort ?? 'name', q: query.q,
        name: query['filter[name]'], domain: query['filter[domain]'], ownerId: query['filter[ownerId]'],
      });
      return present(page, { isMasked: hiddenFields.length > 0, recordOf: (json) => companyOfJson(trx, permissions, json) });
    });
  }

  /** A company from its JSON text as a page holds it: custom fields opened, masked for the actor. */
  async function companyOfJson(trx: Trx, permissions: Permissions, json: string): Promise<Company> {
    return permissions.mask(object, await readable(trx, permissions.actor.tenantId, JSON.parse(json) as Company & Pick<CompanyRow, 'customFields'>));
  }

  return {
    async get(actor: Actor, id: string): Promise<Company> {
      const permissions = await permissionsFor(actor, 'read');
      const owners = normaliseOwnerFilter(permissions.ownerFilter('read', object));
      const contactOwners = normaliseOwnerFilter(permissions.ownerFilter('read', 'contact'));
      const found = await gets.load(`${actor.tenantId} ${ownerScopeKey(owners)} ${ownerScopeKey(contactOwners)}`, { tenantId: actor.tenantId, owners, contactOwners }, id);
      if (!found) throw new NotFoundError('company', id);
      return permissions.mask(object, toCompany(found.row, found.contactCount));
    },

    async list(actor: Actor, query: CompanyListQuery): Promise<{ items: Company[]; nextCursor: string | null }> {
      return readPage(actor, query, pageItems);
    },

    /** The same page as the JSON text the API answers with, as UTF-8 bytes (platform/json-text.ts). */
    async listText(actor: Actor, query: CompanyListQuery): Promise<Buffer> {
      return readPage(actor, query, pageAnswer);
    },

    async count(actor: Actor, query: { q?: string } & ListExtrasQuery): Promise<CappedCount> {
      const permissions = await permissionsFor(actor, 'read');
      return database.readTenant(actor.tenantId, async (trx) => repository.countCapped(trx, actor.tenantId, {
        owners: permissions.ownerFilter('read', object), hiddenFields: permissions.hiddenFields(object), q: query.q,
        extraConditions: (await listExtras(trx, permissions, object, query, 'company')).conditions,
      }));
    },

    async create(actor: Actor, input: CreateCompany): Promise<Company> {
      const permissions = await permissionsFor(actor, 'create');
      permissions.assertWritable(object, input);
      assertOwnerAssignable(permissions, object, input.ownerId);
      const values = prepare(input);
      return write(actor.tenantId, async (trx) => {
        const now = new Date();
        const checked = await validateCustomFields(trx, actor.tenantId, object, input.customFields ?? {});
        const customFields = applyCustomFields({}, await sealCustomFieldChange(encryption, trx, actor.tenantId, object, checked));
        const row = await repository.insert(trx, {
          tenantId: actor.tenantId, id: uuidv7(), name: values.name!, website: values.website ?? null, domain: values.domain ?? null,
          email: values.email ?? null, phone: values.phone ?? null, industry: values.industry ?? null, city: values.city ?? null,
          country: values.country ?? null, ownerId: values.ownerId ?? actor.userId, customFields: JSON.stringify(customFields), createdAt: now, updatedAt: now,
        });
        await appendChange(trx, actor, { entity: 'company', entityId: row.id, operation: 'create', after: logged(row) });
        return merged(permissions.mask(object, toCompany(await readable(trx, actor.tenantId, row), 0)), await companyDuplicateWarnings(trx, permissions, row));
      });
    },

    async update(actor: Actor, id: string, input: UpdateCompany): Promise<Company> {
      const permissions = await permissionsFor(actor, 'update');
      permissions.assertWritable(object, input);
      assertOwnerAssignable(permissions, object, input.ownerId);
      return write(actor.tenantId, async (trx) => {
        const before = await getRowForUpdate(trx, permissions, id);
        if (!permissions.covers('update', object, before.ownerId)) throw new PermissionDeniedError('update', object);
        const values = prepare(input, before);
        const beforeReadable = await readable(trx, actor.tenantId, before);
        const customFields = input.customFields === undefined ? undefined : applyCustomFields(before.customFields, await sealCustomFieldChange(
          encryption, trx, actor.tenantId, object, await validateCustomFields(trx, actor.tenantId, object, input.customFields, { partial: true }), beforeReadable.customFields,
        ));
        const changed = Object.entries(values).some(([key, value]) => before[key as keyof CompanyValues] !== value)
          || (customFields !== undefined && JSON.stringify(customFields) !== JSON.stringify(before.customFields));
        const count = await contactCount(trx, permissions, id);
        if (!changed) return permissions.mask(object, toCompany(beforeReadable, count));
        const updated = await repository.update(trx, actor.tenantId, id, Object.assign({}, values, customFields ? { customFields: JSON.stringify(customFields) } : {}, { updatedAt: new Date() }));
        const after = merged(updated, { tags: before.tags });
        await appendChange(trx, actor, { entity: 'company', entityId: id, operation: 'update', before: logged(before), after: logged(after) });
        return merged(permissions.mask(object, toCompany(await readable(trx, actor.tenantId, after), count)), await companyDuplicateWarnings(trx, permissions, after));
      });
    },

    /** Deleting a company keeps its contacts; each loses the link, and the history says so. */
    async delete(actor: Actor, id: string): Promise<void> {
      const permissions = await permissionsFor(actor, 'delete');
      return database.forTenant(actor.tenantId, async (trx) => {
        const before = await getRowForUpdate(trx, permissions, id);
        if (!permissions.covers('delete', object, before.ownerId)) throw new PermissionDeniedError('delete', object);
        const unlinked = await contactsRepository.unlinkCompany(trx, actor.tenantId, id, new Date());
        for (const contactId of unlinked) {
          await appendChange(trx, actor, { entity: 'contact', entityId: contactId, operation: 'update', before: { companyId: id }, after: { companyId: null } });
        }
        await repository.delete(trx, actor.tenantId, id);
        await appendChange(trx, actor, { entity: 'company', entityId: id, operation: 'delete', before: logged(before) });
      });
    },
  };
}

export type CompanyService = ReturnType<typeof createCompanyService>;
