import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery } from '../../platform/http/schemas.js';
import { CustomFieldValues } from './customers.custom-fields.schemas.js';
import { DuplicateWarnings } from './customers.duplicates.schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const ShortText = (maxLength = 200) => Type.String({ maxLength });
const Search = Type.String({ maxLength: 200, description: 'Matches name, email, phone and company name; any 2+ characters of a CJK name' });

// Custom fields, tags, segments and saved views in lists (customers.segments.lists.ts).
const CustomSort = Type.String({ pattern: '^-?custom\\.[a-z][a-z0-9_]*$', description: 'custom.<key> sorts by a custom field; - for descending' });
const SavedFilterQuery = {
  'filter[tag]': Type.Optional(Type.String({ maxLength: 60, description: 'Records carrying this tag' })),
  segment: Type.Optional(Type.String({ format: 'uuid', description: 'Records in this segment' })),
  view: Type.Optional(Type.String({ format: 'uuid', description: 'Records matching this saved view\'s filter' })),
};
const CustomFilterQuery = { '^filter\\[custom\\.[a-z][a-z0-9_]*\\]$': Type.String({ maxLength: 1000, description: 'filter[custom.<key>]=value: equal to (a multi select: has) the value' }) };

export const Company = Type.Object({
  id: Uuid,
  name: Type.String(),
  website: Type.Optional(Nullable(Type.String())),
  domain: Type.Optional(Nullable(Type.String({ description: 'Taken from the website, or from a work email' }))),
  email: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String({ description: 'E.164' }))),
  industry: Type.Optional(Nullable(Type.String())),
  city: Type.Optional(Nullable(Type.String())),
  country: Type.Optional(Nullable(Type.String())),
  ownerId: Type.Optional(Nullable(Uuid)),
  contactCount: Type.Optional(Type.Integer({ description: 'Only on single-record reads' })),
  customFields: Type.Optional(CustomFieldValues('company')),
  tags: Type.Optional(Type.Array(Type.String(), { description: 'Tag names; set them with PUT /companies/{id}/tags' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  warnings: Type.Optional(DuplicateWarnings),
});
export type Company = Static<typeof Company>;

export const CreateCompany = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  website: Type.Optional(Nullable(ShortText(500))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  phone: Type.Optional(Nullable(ShortText(40))),
  industry: Type.Optional(Nullable(ShortText(100))),
  city: Type.Optional(Nullable(ShortText(100))),
  country: Type.Optional(Nullable(ShortText(100))),
  ownerId: Type.Optional(Type.String({ format: 'uuid', description: 'Another user as owner: needs an update scope that covers them' })),
  customFields: Type.Optional(CustomFieldValues('company')),
}, { additionalProperties: false });
export type CreateCompany = Static<typeof CreateCompany>;

export const UpdateCompany = Type.Partial(CreateCompany, { additionalProperties: false });
export type UpdateCompany = Static<typeof UpdateCompany>;

export const companySorts = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'domain', '-domain'] as const;

export const CompanyListQuery = Type.Object({
  ...PageQuery,
  sort: Type.Optional(Type.Union([...companySorts.map((sort) => Type.Literal(sort)), CustomSort], { default: 'name' })),
  q: Type.Optional(Search),
  'filter[name]': Type.Optional(ShortText()),
  'filter[domain]': Type.Optional(ShortText()),
  'filter[ownerId]': Type.Optional(Uuid),
  ...SavedFilterQuery,
}, { additionalProperties: false, patternProperties: CustomFilterQuery });
export type CompanyListQuery = Static<typeof CompanyListQuery>;

export const Contact = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String({ description: 'E.164' }))),
  title: Type.Optional(Nullable(Type.String())),
  companyId: Type.Optional(Nullable(Uuid)),
  companyName: Type.Optional(Nullable(Type.String())),
  ownerId: Type.Optional(Nullable(Uuid)),
  customFields: Type.Optional(CustomFieldValues('contact')),
  tags: Type.Optional(Type.Array(Type.String(), { description: 'Tag names; set them with PUT /contacts/{id}/tags' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  warnings: Type.Optional(DuplicateWarnings),
});
export type Contact = Static<typeof Contact>;

export const CreateContact = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  phone: Type.Optional(Nullable(ShortText(40))),
  title: Type.Optional(Nullable(ShortText(200))),
  companyId: Type.Optional(Nullable(Uuid)),
  ownerId: Type.Optional(Type.String({ format: 'uuid', description: 'Another user as owner: needs an update scope that covers them' })),
  customFields: Type.Optional(CustomFieldValues('contact')),
}, { additionalProperties: false });
export type CreateContact = Static<typeof CreateContact>;

export const UpdateContact = Type.Partial(CreateContact, { additionalProperties: false });
export type UpdateContact = Static<typeof UpdateContact>;

export const contactSorts = ['name', '-name', 'email', '-email', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const;

export const ContactListQuery = Type.Object({
  ...PageQuery,
  sort: Type.Optional(Type.Union([...contactSorts.map((sort) => Type.Literal(sort)), CustomSort], { default: 'name' })),
  q: Type.Optional(Search),
  'filter[companyId]': Type.Optional(Uuid),
  'filter[email]': Type.Optional(ShortText(254)),
  'filter[ownerId]': Type.Optional(Uuid),
  ...SavedFilterQuery,
}, { additionalProperties: false, patternProperties: CustomFilterQuery });
export type ContactListQuery = Static<typeof ContactListQuery>;

export const CountQuery = Type.Object({ q: Type.Optional(Search), ...SavedFilterQuery }, { additionalProperties: false, patternProperties: CustomFilterQuery });
export const CappedCount = Type.Object({
  count: Type.Integer(),
  capped: Type.Boolean({ description: 'True when there are more rows than `count`; counting stops at the cap' }),
});
export type CappedCount = Static<typeof CappedCount>;
