import { Type, type Static } from '@sinclair/typebox';

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'Name, word, email, phone (any format) or domain' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  types: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', maxLength: 200, description: 'Comma-separated hit types, e.g. contact,company' })),
}, { additionalProperties: false });
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchHit = Type.Object({
  type: Type.String(),
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  subtitle: Type.Union([Type.String(), Type.Null()]),
  matchedOn: Type.String({ description: 'name, email, phone, domain, title or companyName' }),
  score: Type.Number({ description: '0..1; exact email, phone and domain matches score 1' }),
});

export const SearchResults = Type.Object({ items: Type.Array(SearchHit) });
export type SearchResults = Static<typeof SearchResults>;
