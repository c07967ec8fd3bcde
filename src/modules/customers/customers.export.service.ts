// Exports of contact and company lists: any list query (search, filters, saved view or
// segment, sort) as CSV or JSON, streamed in keyset pages through the contacts and companies
// services themselves — so the read scope is SQL, hidden fields are absent columns and
// encrypted phones come out decrypted, exactly as the list shows them. Never held whole.
import type { Actor } from '../../platform/actor.js';
import type { Authorization, Permissions } from '../../platform/authorization/authorization.js';
import { toCsvLine } from '../../platform/csv.js';
import { merged } from '../../platform/objects.js';
import type { CompanyService } from './companies.service.js';
import type { ContactService } from './contacts.service.js';
import type { CustomFieldService } from './customers.custom-fields.service.js';
import type { CompanyListQuery, ContactListQuery } from './customers.schemas.js';

export type ExportObject = 'contact' | 'company';
export type ExportFormat = 'csv' | 'json';
export type ExportQuery = Omit<ContactListQuery, 'limit' | 'cursor'> | Omit<CompanyListQuery, 'limit' | 'cursor'>;

export const exportPageSize = 2000;

const baseColumns: Record<ExportObject, string[]> = {
  contact: ['id', 'name', 'email', 'phone', 'title', 'companyId', 'companyName', 'ownerId', 'tags', 'createdAt', 'updatedAt'],
  company: ['id', 'name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country', 'ownerId', 'tags', 'createdAt', 'updatedAt'],
};

export interface ExportServiceDeps {
  authorization: Authorization;
  contacts: ContactService;
  companies: CompanyService;
  customFields: CustomFieldService;
}

type Item = Record<string, unknown> & { ownerId?: string | null; customFields?: Record<string, unknown> };

/** A cell's text: lists joined, structured values (money) as JSON. */
function cellText(value: unknown): unknown {
  if (Array.isArray(value)) return value.join('; ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function createExportService({ authorization, contacts, companies, customFields }: ExportServiceDeps) {
  /** The export scope may be narrower than the read scope the list applies ("own" for a sales rep). */
  function narrowToExportScope(permissions: Permissions, object: ExportObject, query: ExportQuery): { query: ExportQuery; keep: (item: Item) => boolean } {
    const exportScope = permissions.scope('export', object);
    const readScope = permissions.scope('read', object);
    if (exportScope === 'own' && readScope !== 'own') {
      const ownerId = query['filter[ownerId]'];
      // A filter on someone else than the actor under an "own" export scope matches nothing.
      return { query: merged(query, { 'filter[ownerId]': permissions.actor.userId ?? '00000000-0000-0000-0000-000000000000' }), keep: () => ownerId === undefined || ownerId === permissions.actor.userId };
    }
    if (exportScope === 'team' && readScope === 'all') {
      // No list filter says "my team": each page is narrowed with the same rule the engine applies.
      return { query, keep: (item) => permissions.covers('export', object, item.ownerId ?? null) };
    }
    return { query, keep: () => true };
  }

  async function listPage(actor: Actor, object: ExportObject, query: ExportQuery, cursor: string | undefined) {
    const pageQuery = merged(query, { limit: exportPageSize, cursor });
    const page = object === 'contact'
      ? await contacts.list(actor, pageQuery as ContactListQuery)
      : await companies.list(actor, pageQuery as CompanyListQuery);
    return page as { items: Item[]; nextCursor: string | null };
  }

  return {
    /** The columns the actor may see: hidden fields are absent, one column per visible custom field. */
    async columns(actor: Actor, object: ExportObject): Promise<{ fields: string[]; customKeys: string[] }> {
      const permissions = await authorization.of(actor);
      permissions.assertCan('export', object);
      const hidden = new Set(permissions.hiddenFields(object));
      const definitions = await customFields.list(actor, object);
      return { fields: baseColumns[object].filter((field) => !hidden.has(field)), customKeys: definitions.map((definition) => definition.key) };
    },

    /**
     * The export as text chunks, one per page of rows; `onPage` hears the running row count.
     * The first chunk is produced before anything is sent, so a refused export is a plain 4xx.
     */
    async *stream(actor: Actor, object: ExportObject, format: ExportFormat, query: ExportQuery, onPage?: (rows: number) => Promise<void> | void): AsyncGenerator<string> {
      const { fields, customKeys } = await this.columns(actor, object);
      const narrowed = narrowToExportScope(await authorization.of(actor), object, query);
      const header = [...fields, ...customKeys.map((key) => `customFields.${key}`)];
      yield format === 'csv' ? toCsvLine(header) : '[';
      let cursor: string | undefined;
      let rows = 0;
      do {
        const page = await listPage(actor, object, narrowed.query, cursor);
        const items = page.items.filter(narrowed.keep);
        if (items.length > 0) {
          yield format === 'csv'
            ? items.map((item) => toCsvLine([...fields.map((field) => cellText(item[field])), ...customKeys.map((key) => cellText(item.customFields?.[key]))])).join('')
            : `${rows > 0 ? ',' : ''}\n${items.map((item) => JSON.stringify(item)).join(',\n')}`;
        }
        rows += items.length;
        await onPage?.(rows);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      if (format === 'json') yield '\n]\n';
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
