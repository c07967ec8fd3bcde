import { commonErrors } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { SearchQuery, SearchResults } from './customers.search.schemas.js';
import type { SearchService } from './customers.search.service.js';

export function searchRoutes(app: App, { search }: { search: SearchService }) {
  app.get('/search', {
    schema: {
      tags: ['search'], summary: 'Search contacts and companies (and whatever else registers a provider) by name, word, email, phone or domain',
      querystring: SearchQuery, response: { 200: SearchResults, ...commonErrors },
    },
  }, (request) => search.search(request.actor, request.query));
}
