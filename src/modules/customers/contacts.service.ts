// Contacts: people at companies (or on their own). Emails are stored lower-cased and unique
// per workspace; phones in E.164. Every write appends to the change log in its transaction.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { PermissionDeniedError, type Authorization, type OwnerFilter, type Permissions } from '../../platform/authorization/authorization.js';
import { normaliseOwnerFilter, ownerScopeKey } from '../../platform/authorization/owner-condition.js';
import { appendChange } from '../../platform/change-log.js';
import { pageAnswer, pageItems, type JsonPage, type PageReader } from '../../platform/json-text.js';
import { merged } from '../../platform/objects.js';
import type { Database, Trx } from '../../platform/db.js';
import type { FieldEncryption, TenantCipher } from '../../platform/encryption/encryption.service.js';
import { mayHoldCiphertext } from '../../platform/encryption/field-cipher.js';
import { createReadBatcher } from '../../platform/read-batches.js';
import { isoString } from '../../platform/timestamps.js';
import { ConflictError, FieldError, NotFoundError } from '../../platform/errors.js';
import { companiesRepository } from './companies.repository.js';
import { contactsRepository as repository, type ContactRow, type ContactValues } from './contacts.repository.js';
import { contactDuplicateWarnings } from './customers.duplicates.warnings.js';
import { applyCustomFields, validateCustomFields } from './customers.custom-fields.service.js';
import { openCustomFields, sealCustomFieldChange } from './customers.custom-fields.sealing.js';
import { normaliseEmail, normalisePhone, phoneSearchCandidates } from './customers.normalise.js';
import { listExtras, type ListExtrasQuery } from './customers.segments.lists.js';
import type { CappedCount, Contact, ContactListQuery, CreateContact, UpdateContact } from './customers.schemas.js';

/** A contact as a page's JSON text holds it: every field there, the phone and custom fields as stored. */
type StoredContact = Omit<Contact, 'phone' | 'customFields'> & Pick<ContactRow, 'phone' | 'customFields'>;

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id, name: row.name, email: row.email, phone: row.phone, title: row.title, companyId: row.companyId,
    companyName: row.companyName, ownerId: row.ownerId, customFields: row.customFields, tags: row.tags,
    createdAt: isoString(row.createdAt), updatedAt: isoString(row.updatedAt),
  };
}

// Logged as stored: an encrypted phone goes into the change log as its ciphertext, so the
// log (history, backups) holds no plaintext and is shredded with the workspace's keys.
const logged = (row: ContactRow) => ({
  name: row.name, email: row.email, phone: row.phone, title: row.title, companyId: row.companyId, ownerId: row.ownerId, customFields: row.customFields,
});

const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === constraint;
}

const emailTaken = () => new ConflictError('contact.email_taken', 'email', 'Another contact in this workspace has this email');

const object = 'contact';
export const phoneField = 'contact.phone';

/** Owner changes are allowed only to a user the actor's update scope covers. */
export function assertOwnerAssignable(permissions: Permissions, objectName: string, ownerId: string | null | undefined) {
  if (ownerId === undefined) return;
  if (ownerId === null || !permissions.canAssignOwner(objectName, ownerId)) {
    throw new PermissionDeniedError('update', objectName, 'ownerId');
  }
}

export interface ContactServiceDeps {
  database: Database;
  authorization: Authorization;
  encryption: FieldEncryption;
  /** Told how many gets each batched query served (platform/read-batches.ts). */
  onBatch?: (size: number) => void;
}

export function createContactService({ database, authorization, encryption, onBatch }: ContactServiceDeps) {
  /** The row (or contact) with its phone and sensitive custom fields decrypted, for answers and comparisons. */
  async function readable<T extends Pick<ContactRow, 'phone' | 'customFields'>>(trx: Trx, tenantId: string, row: T): Promise<T> {
    const customFields = await openCustomFields(encryption, trx, tenantId, object, row.customFields);
    const phone = row.phone === null ? null : await encryption.decrypt(trx, tenantId, phoneField, row.phone);
    return phone === row.phone && customFields === row.customFields ? row : merged(row, { phone, customFields });
  }

  /** The phone as the table stores it: sealed when the workspace encrypts phones. */
  function sealPhone(cipher: TenantCipher, phone: string | null | undefined) {
    if (phone === undefined) return {};
    const sealed = cipher.seal(phoneField, phone);
    return { phone: sealed.value, phoneIndex: sealed.index };
  }

  async function searchFilters(trx: Trx, tenantId: string, filters: ReturnType<typeof listFilters>) {
    // Fewer than 3 digits never searches phones (contacts.repository.ts): no need to ask.
    const q = filters.q?.trim();
    if (!q || q.replace(/\D/g, '').replace(/^0+/, '').length < 3 || filters.hiddenFields.includes('phone')) return filters;
    const cipher = await encryption.cipherFor(trx, tenantId);
    if (!cipher.isSensitive(phoneField)) return filters;
    const values = phoneSearchCandidates(q);
    return merged(filters, { phoneSearch: { values, indexes: cipher.searchIndexes(phoneField, values) } });
  }

  /** Normalises the given fields and checks the rules that need the database. */
  async function prepare(trx: Trx, tenantId: string, input: UpdateContact, selfId?: string): Promise<Partial<ContactValues>> {
    const values: Partial<ContactValues> = {};
    if (input.name !== undefined) {
      values.name = input.name.trim();
      if (!values.name) throw new FieldError('validation.failed', 'name', 'must not be empty');
    }
    if (input.title !== undefined) values.title = blankToNull(input.title) ?? null;
    if (input.email !== undefined) {
      values.email = input.email ? normaliseEmail(input.email) : null;
      if (values.email) {
        const holder = await repository.findIdByEmail(trx, tenantId, values.email);
        if (holder && holder !== selfId) throw emailTaken();
      }
    }
    if (input.phone !== undefined) {
      const phone = blankToNull(input.phone);
      values.phone = phone ? normalisePhone(phone, 'contact.phone_invalid') : null;
    }
    if (input.companyId !== undefined) {
      if (input.companyId && !(await companiesRepository.exists(trx, tenantId, input.companyId))) {
        throw new FieldError('contact.company_not_found', 'companyId', 'No company with this id in this workspace');
      }
      values.companyId = input.companyId;
    }
    if (input.ownerId !== undefined) values.ownerId = input.ownerId;
    return values;
  }

  async function write<T>(tenantId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
    try {
      return await database.forTenant(tenantId, work);
    } catch (error) {
      // Two writers can both pass the email check; the unique index settles it.
      if (isUniqueViolation(error, 'contact_email')) throw emailTaken();
      if ((error as { code?: string; constraint?: string }).code === '23503' && (error as { constraint?: string }).constraint?.includes('owner_id')) {
        throw new FieldError('contact.owner_not_found', 'ownerId', 'No user with this id in this workspace');
      }
      throw error;
    }
  }

  /**
   * The contact if the actor may read it, locked for the write that follows; out of scope is not
   * found, so existence does not leak.
   */
  async function getRowForUpdate(trx: Trx, permissions: Permissions, id: string) {
    const row = await repository.findForUpdate(trx, permissions.actor.tenantId, id, permissions.ownerFilter('read', object));
    if (!row) throw new NotFoundError('contact', id);
    return row;
  }

  /**
   * Gets of one workspace and read scope that arrive in the same turn of the event loop share
   * one query (platform/read-batches.ts), which reads each contact as the JSON text a list page
   * holds. A text with nothing sealed in it is kept as it is; one that may hold a ciphertext is
   * parsed and opened here, in the batch's connection. Each get is masked for its own actor
   * afterwards.
   */
  const gets = createReadBatcher<{ tenantId: string; owners: OwnerFilter }, string | StoredContact>({
    onBatch,
    read: ({ tenantId, owners }, ids) => database.readTenant(tenantId, async (trx) => {
      const found = new Map<string, string | StoredContact>();
      for (const { id, json } of await repository.findManyJson(trx, tenantId, ids, owners)) {
        found.set(id, mayHoldCiphertext(json) ? await readable(trx, tenantId, JSON.parse(json) as StoredContact) : json);
      }
      return found;
    }),
  });

  /** The contact of a get, as the batch gave it, and what the actor may see of it. */
  async function load(actor: Actor, id: string) {
    const permissions = await permissionsFor(actor, 'read');
    const owners = normaliseOwnerFilter(permissions.ownerFilter('read', object));
    const found = await gets.load(`${actor.tenantId} ${ownerScopeKey(owners)}`, { tenantId: actor.tenantId, owners }, id);
    if (found === undefined) throw new NotFoundError('contact', id);
    return { permissions, found };
  }

  function maskedContact(permissions: Permissions, found: string | StoredContact): Contact {
    return permissions.mask(object, (typeof found === 'string' ? JSON.parse(found) : found) as Contact);
  }

  async function permissionsFor(actor: Actor, action: 'read' | 'create' | 'update' | 'delete') {
    const permissions = await authorization.of(actor);
    permissions.assertCan(action, object);
    return permissions;
  }

  function listFilters(permissions: Permissions, query: { q?: string; 'filter[email]'?: string }) {
    const hiddenFields = permissions.hiddenFields(object);
    if (query['filter[email]'] !== undefined && hiddenFields.includes('email')) throw new PermissionDeniedError('read', object, 'email');
    return { owners: permissions.ownerFilter('read', object), hiddenFields, q: query.q };
  }

  /** A page of the list, as the repository reads it, handed to `present` with the actor's reader, in the same transaction. */
  async function readPage<T>(actor: Actor, query: ContactListQuery, present: (page: JsonPage, reader: PageReader<Contact>) => Promise<T>): Promise<T> {
    const permissions = await permissionsFor(actor, 'read');
    const sortField = (query.sort ?? 'name').replace('-', '');
    if (permissions.hiddenFields(object).includes(sortField)) throw new PermissionDeniedError('read', object, sortField);
    return database.readTenant(actor.tenantId, async (trx) => {
      const extras = await listExtras(trx, permissions, object, query as ListExtrasQuery, 'c');
      // Named properties first, the spread last: see platform/objects.ts.
      const page = await repository.list(trx, actor.tenantId, {
        limit: query.limit ?? 50, cursor: query.cursor, sort: query.sort ?? 'name', extraConditions: extras.conditions, extraSorts: extras.sorts,
        companyId: query['filter[companyId]'], email: query['filter[email]'], ownerId: query['filter[ownerId]'],
        ...await searchFilters(trx, actor.tenantId, listFilters(permissions, query)),
      });
      return present(page, { isMasked: permissions.hiddenFields(object).length > 0, recordOf: (json) => contactOfJson(trx, permissions, json) });
    });
  }

  /** A contact from its JSON text as a page holds it: decrypted, and masked for the actor. */
  async function contactOfJson(trx: Trx, permissions: Permissions, json: string): Promise<Contact> {
    return permissions.mask(object, await readable(trx, permissions.actor.tenantId, JSON.parse(json) as StoredContact));
  }

  return {
    async get(actor: Actor, id: string): Promise<Contact> {
      const { permissions, found } = await load(actor, id);
      return maskedContact(permissions, found);
    },

    /**
     * The same contact as the JSON text the API answers with: passed through as PostgreSQL
     * wrote it unless a field is hidden from the actor or was sealed (platform/json-text.ts).
     */
    async getText(actor: Actor, id: string): Promise<string> {
      const { permissions, found } = await load(actor, id);
      if (typeof found === 'string' && permissions.hiddenFields(object).length === 0) return found;
      return JSON.stringify(maskedContact(permissions, found));
    },

    async list(actor: Actor, query: ContactListQuery): Promise<{ items: Contact[]; nextCursor: string | null }> {
      return readPage(actor, query, pageItems);
    },

    /** The same page as the JSON text the API answers with, as UTF-8 bytes (platform/json-text.ts). */
    async listText(actor: Actor, query: ContactListQuery): Promise<Buffer> {
      return readPage(actor, query, pageAnswer);
    },

    async count(actor: Actor, query: { q?: string } & ListExtrasQuery): Promise<CappedCount> {
      const permissions = await permissionsFor(actor, 'read');
      return database.readTenant(actor.tenantId, async (trx) => {
        const extras = await listExtras(trx, permissions, object, query, 'c');
        return repository.countCapped(trx, actor.tenantId, { extraConditions: extras.conditions, ...await searchFilters(trx, actor.tenantId, listFilters(permissions, query)) });
      });
    },

    async create(actor: Actor, input: CreateContact): Promise<Contact> {
      const permissions = await permissionsFor(actor, 'create');
      permissions.assertWritable(object, input);
      assertOwnerAssignable(permissions, object, input.ownerId);
      return write(actor.tenantId, async (trx) => {
        const values = await prepare(trx, actor.tenantId, input);
        const checked = await validateCustomFields(trx, actor.tenantId, object, input.customFields ?? {});
        const customFields = applyCustomFields({}, await sealCustomFieldChange(encryption, trx, actor.tenantId, object, checked));
        const now = new Date();
        const id = uuidv7();
        const cipher = await encryption.cipherFor(trx, actor.tenantId, { forWriting: true });
        await repository.insert(trx, {
          tenantId: actor.tenantId, id, name: values.name!, email: values.email ?? null, phone: values.phone ?? null, ...sealPhone(cipher, values.phone ?? null),
          title: values.title ?? null, companyId: values.companyId ?? null, ownerId: values.ownerId ?? actor.userId, customFields: JSON.stringify(customFields), createdAt: now, updatedAt: now,
        });
        const row = (await repository.findStored(trx, actor.tenantId, id))!;
        await appendChange(trx, actor, { entity: 'contact', entityId: id, operation: 'create', after: logged(row) });
        return merged(permissions.mask(object, toContact(await readable(trx, actor.tenantId, row))), await contactDuplicateWarnings(trx, permissions, row));
      });
    },

    async update(actor: Actor, id: string, input: UpdateContact): Promise<Contact> {
      const permissions = await permissionsFor(actor, 'update');
      permissions.assertWritable(object, input);
      assertOwnerAssignable(permissions, object, input.ownerId);
      return write(actor.tenantId, async (trx) => {
        const before = await getRowForUpdate(trx, permissions, id);
        if (!permissions.covers('update', object, before.ownerId)) throw new PermissionDeniedError('update', object);
        const values = await prepare(trx, actor.tenantId, input, id);
        const beforeReadable = await readable(trx, actor.tenantId, before);
        const customFields = input.customFields === undefined ? undefined : applyCustomFields(before.customFields, await sealCustomFieldChange(
          encryption, trx, actor.tenantId, object, await validateCustomFields(trx, actor.tenantId, object, input.customFields, { partial: true }), beforeReadable.customFields,
        ));
        const changed = Object.entries(values).some(([key, value]) => beforeReadable[key as keyof ContactValues] !== value)
          || (customFields !== undefined && JSON.stringify(customFields) !== JSON.stringify(before.customFields));
        if (!changed) return permissions.mask(object, toContact(beforeReadable));
        const cipher = await encryption.cipherFor(trx, actor.tenantId, { forWriting: true });
        await repository.update(trx, actor.tenantId, id, {
          updatedAt: new Date(), ...values, ...sealPhone(cipher, values.phone), ...(customFields ? { customFields: JSON.stringify(customFields) } : {}),
        });
        const after = (await repository.findStored(trx, actor.tenantId, id))!;
        await appendChange(trx, actor, { entity: 'contact', entityId: id, operation: 'update', before: logged(before), after: logged(after) });
        return merged(permissions.mask(object, toContact(await readable(trx, actor.tenantId, after))), await contactDuplicateWarnings(trx, permissions, after));
      });
    },

    async delete(actor: Actor, id: string): Promise<void> {
      const permissions = await permissionsFor(actor, 'delete');
      return write(actor.tenantId, async (trx) => {
        const before = await getRowForUpdate(trx, permissions, id);
        if (!permissions.covers('delete', object, before.ownerId)) throw new PermissionDeniedError('delete', object);
        await repository.delete(trx, actor.tenantId, id);
        await appendChange(trx, actor, { entity: 'contact', entityId: id, operation: 'delete', before: logged(before) });
      });
    },

    /** The encryption job's batch: stored phones brought to the workspace's setting and current key. */
    convertPhoneBatch(tenantId: string, afterId: string | null, limit: number): Promise<{ lastId: string | null; changed: number }> {
      return database.forTenant(tenantId, async (trx) => {
        const cipher = await encryption.cipherFor(trx, tenantId, { forWriting: true });
        const rows = await repository.listPhonesAfter(trx, tenantId, afterId, limit);
        let changed = 0;
        for (const row of rows) {
          if (!cipher.needsRewrite(phoneField, row.phone)) continue;
          const sealed = cipher.seal(phoneField, await cipher.open(phoneField, row.phone));
          await repository.setStoredPhone(trx, tenantId, row.id, sealed.value, sealed.index);
          changed++;
        }
        return { lastId: rows.length === limit ? rows[rows.length - 1].id : null, changed };
      });
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;
