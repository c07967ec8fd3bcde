import { Type } from '@sinclair/typebox';
import { commonErrors, ErrorResponse, IdParams, Page } from '../../platform/http/schemas.js';
import { sendJsonText, type App } from '../../platform/http/server.js';
import type { CompanyService } from './companies.service.js';
import type { ContactService } from './contacts.service.js';
import {
  CappedCount, Company, CompanyListQuery, Contact, ContactListQuery, CountQuery, CreateCompany, CreateContact, UpdateCompany, UpdateContact,
} from './customers.schemas.js';

const writeErrors = { ...commonErrors, 409: ErrorResponse };

export function customerRoutes(app: App, { companies, contacts }: { companies: CompanyService; contacts: ContactService }) {
  let tags = ['companies'];
  // Pages come as JSON text (contacts.service.ts listText); the schema is the one they follow.
  app.get('/companies', { schema: { tags, summary: 'List companies (keyset pages, search, sort, filters)', querystring: CompanyListQuery, response: { 200: Page(Company), ...commonErrors } } },
    async (request, reply) => sendJsonText(reply, await companies.listText(request.actor, request.query)));
  app.get('/companies/count', { schema: { tags, summary: 'Count companies, stopping at 10,000', querystring: CountQuery, response: { 200: CappedCount, ...commonErrors } } },
    (request) => companies.count(request.actor, request.query));
  app.post('/companies', { schema: { tags, summary: 'Create a company', body: CreateCompany, response: { 201: Company, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await companies.create(request.actor, request.body)));
  app.get('/companies/:id', { schema: { tags, summary: 'Get a company', params: IdParams, response: { 200: Company, ...commonErrors } } },
    (request) => companies.get(request.actor, request.params.id));
  app.patch('/companies/:id', { schema: { tags, summary: 'Change some fields of a company; null clears a field', params: IdParams, body: UpdateCompany, response: { 200: Company, ...writeErrors } } },
    (request) => companies.update(request.actor, request.params.id, request.body));
  app.delete('/companies/:id', { schema: { tags, summary: 'Delete a company; its contacts stay, unlinked', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await companies.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });

  tags = ['contacts'];
  app.get('/contacts', { schema: { tags, summary: 'List contacts (keyset pages, search, sort, filters)', querystring: ContactListQuery, response: { 200: Page(Contact), ...commonErrors } } },
    async (request, reply) => sendJsonText(reply, await contacts.listText(request.actor, request.query)));
  app.get('/contacts/count', { schema: { tags, summary: 'Count contacts, stopping at 10,000', querystring: CountQuery, response: { 200: CappedCount, ...commonErrors } } },
    (request) => contacts.count(request.actor, request.query));
  app.post('/contacts', { schema: { tags, summary: 'Create a contact', body: CreateContact, response: { 201: Contact, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await contacts.create(request.actor, request.body)));
  app.get('/contacts/:id', { schema: { tags, summary: 'Get a contact', params: IdParams, response: { 200: Contact, ...commonErrors } } },
    async (request, reply) => sendJsonText(reply, await contacts.getText(request.actor, request.params.id)));
  app.patch('/contacts/:id', { schema: { tags, summary: 'Change some fields of a contact; null clears a field', params: IdParams, body: UpdateContact, response: { 200: Contact, ...writeErrors } } },
    (request) => contacts.update(request.actor, request.params.id, request.body));
  app.delete('/contacts/:id', { schema: { tags, summary: 'Delete a contact', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await contacts.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
}
