// Search providers: each module whose records the global search finds (contacts and companies
// here; deals and tickets in their modules) registers one at wiring time. A provider answers
// inside the search's read transaction, under the actor's permissions, with ranked hits.
import type { Permissions } from '../../platform/authorization/authorization.js';
import type { Trx } from '../../platform/db.js';
import type { SearchText } from './customers.search.text.js';

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  /** Which field matched: name, email, phone, domain, title, companyName. */
  matchedOn: string;
  /** 0..1; exact matches on email, phone and domain score 1 and rank first. */
  score: number;
}

export interface SearchContext {
  trx: Trx;
  permissions: Permissions;
  text: SearchText;
  /** How many hits the provider may return; the service merges and cuts to the asked limit. */
  limit: number;
}

export interface SearchProvider {
  /** The hit type, also the value of `types=` that selects it: contact, company, deal... */
  type: string;
  search(context: SearchContext): Promise<SearchHit[]>;
}

export interface SearchProviders {
  register(provider: SearchProvider): void;
  list(): readonly SearchProvider[];
}

export function createSearchProviders(): SearchProviders {
  const providers = new Map<string, SearchProvider>();
  return {
    register(provider) {
      if (providers.has(provider.type)) throw new Error(`A search provider for ${provider.type} is already registered`);
      providers.set(provider.type, provider);
    },
    list: () => [...providers.values()],
  };
}
