// Global search: one query text over every registered provider (contacts and companies here),
// in one read transaction under the actor's permissions. Hits are merged by score, exact
// email, phone and domain matches first.
import type { Actor } from '../../platform/actor.js';
import type { Authorization, Permissions } from '../../platform/authorization/authorization.js';
import type { Database } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { FieldError } from '../../platform/errors.js';
import { phoneField } from './contacts.service.js';
import type { SearchContext, SearchHit, SearchProvider, SearchProviders } from './customers.search.providers.js';
import { searchCompanies, searchContacts, type SearchOptions, type SearchRow } from './customers.search.repository.js';
import type { SearchQuery, SearchResults } from './customers.search.schemas.js';
import { parseSearchText } from './customers.search.text.js';

const subtitleOf = (row: SearchRow) => [row.detail1, row.detail2].filter(Boolean).join(' · ') || null;

function toHit(type: string, row: SearchRow): SearchHit {
  return { type, id: row.id, title: row.name, subtitle: subtitleOf(row), matchedOn: row.matchedOn, score: row.score };
}

function optionsFor(context: SearchContext, object: string): SearchOptions | undefined {
  const { permissions } = context;
  if (!permissions.can('read', object)) return undefined;
  return {
    tenantId: permissions.actor.tenantId, owners: permissions.ownerFilter('read', object),
    hiddenFields: permissions.hiddenFields(object), text: context.text, limit: context.limit,
  };
}

/** The providers this module registers: contacts (with encrypted phones by blind index) and companies. */
export function customerSearchProviders({ encryption }: { encryption: FieldEncryption }): SearchProvider[] {
  return [
    {
      type: 'contact',
      async search(context) {
        const options = optionsFor(context, 'contact');
        if (!options) return [];
        if (context.text.phones.length && !options.hiddenFields.includes('phone')) {
          const cipher = await encryption.cipherFor(context.trx, options.tenantId);
          if (cipher.isSensitive(phoneField)) options.phoneIndexes = cipher.searchIndexes(phoneField, context.text.phones);
        }
        return (await searchContacts(context.trx, options)).map((row) => toHit('contact', row));
      },
    },
    {
      type: 'company',
      async search(context) {
        const options = optionsFor(context, 'company');
        return options ? (await searchCompanies(context.trx, options)).map((row) => toHit('company', row)) : [];
      },
    },
  ];
}

export function createSearchService({ database, authorization, providers }: { database: Database; authorization: Authorization; providers: SearchProviders }) {
  function selectedProviders(types: string | undefined) {
    const all = providers.list();
    if (!types) return all;
    const wanted = new Set(types.split(','));
    const unknown = [...wanted].filter((type) => !all.some((provider) => provider.type === type));
    if (unknown.length) {
      throw new FieldError('search.type_unknown', 'types', `Unknown types: ${unknown.join(', ')}; known: ${all.map((provider) => provider.type).join(', ')}`);
    }
    return all.filter((provider) => wanted.has(provider.type));
  }

  async function searchAll(permissions: Permissions, query: SearchQuery, selected: readonly SearchProvider[]) {
    const text = parseSearchText(query.q);
    if (!text.text) throw new FieldError('validation.failed', 'q', 'must not be blank');
    const limit = query.limit ?? 20;
    return database.readTenant(permissions.actor.tenantId, async (trx) => {
      const hits: SearchHit[] = [];
      // One connection: providers run one after another inside the read transaction.
      for (const provider of selected) hits.push(...await provider.search({ trx, permissions, text, limit }));
      const isExact = (hit: SearchHit) => (hit.score >= 1 ? 1 : 0);
      return hits.sort((a, b) => isExact(b) - isExact(a) || b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
    });
  }

  return {
    async search(actor: Actor, query: SearchQuery): Promise<SearchResults> {
      const selected = selectedProviders(query.types);
      const permissions = await authorization.of(actor);
      return { items: await searchAll(permissions, query, selected) };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
