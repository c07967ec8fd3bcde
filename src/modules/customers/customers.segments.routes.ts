import { Type } from '@sinclair/typebox';
import { commonErrors, IdParams, Page, PageQuery } from '../../platform/http/schemas.js';
import { sendJsonText, type App } from '../../platform/http/server.js';
import { merged } from '../../platform/objects.js';
import type { CompanyService } from './companies.service.js';
import type { ContactService } from './contacts.service.js';
import { CappedCount, Company, Contact } from './customers.schemas.js';
import { CreateSegment, Segment, SegmentListQuery, SegmentPreview, UpdateSegment } from './customers.segments.schemas.js';
import type { SegmentService } from './customers.segments.service.js';

const SegmentPageQuery = Type.Object({
  ...PageQuery,
  sort: Type.Optional(Type.String({ pattern: '^-?(name|email|domain|createdAt|updatedAt|custom\\.[a-z][a-z0-9_]*)$', default: 'name' })),
}, { additionalProperties: false });

interface Services {
  segments: SegmentService;
  contacts: ContactService;
  companies: CompanyService;
}

export function segmentRoutes(app: App, { segments, contacts, companies }: Services) {
  const tags = ['segments'];
  app.get('/segments', { schema: { tags, summary: 'Saved segments', querystring: SegmentListQuery, response: { 200: Type.Object({ items: Type.Array(Segment) }), ...commonErrors } } },
    async (request) => ({ items: await segments.list(request.actor, request.query.object) }));
  app.post('/segments', { schema: { tags, summary: 'Save a segment; a bad filter is a 400 naming its path', body: CreateSegment, response: { 201: Segment, ...commonErrors } } },
    async (request, reply) => reply.code(201).send(await segments.create(request.actor, request.body)));
  app.post('/segments/preview', { schema: { tags, summary: 'Count the records a filter selects, stopping at 10,000', body: SegmentPreview, response: { 200: CappedCount, ...commonErrors } } },
    (request) => (request.body.object === 'contact'
      ? contacts.count(request.actor, { segmentFilter: request.body.filter })
      : companies.count(request.actor, { segmentFilter: request.body.filter })));
  app.get('/segments/:id', { schema: { tags, summary: 'Get a segment', params: IdParams, response: { 200: Segment, ...commonErrors } } },
    (request) => segments.get(request.actor, request.params.id));
  app.patch('/segments/:id', { schema: { tags, summary: 'Rename a segment or change its filter (its creator or an admin)', params: IdParams, body: UpdateSegment, response: { 200: Segment, ...commonErrors } } },
    (request) => segments.update(request.actor, request.params.id, request.body));
  app.delete('/segments/:id', { schema: { tags, summary: 'Delete a segment (its creator or an admin)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await segments.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
  app.get('/segments/:id/contacts', { schema: { tags, summary: 'The contacts in a contact segment (keyset pages, like /contacts)', params: IdParams, querystring: SegmentPageQuery, response: { 200: Page(Contact), ...commonErrors } } },
    async (request, reply) => sendJsonText(reply, await contacts.listText(request.actor, merged(request.query, { segment: request.params.id }) as never)));
  app.get('/segments/:id/companies', { schema: { tags, summary: 'The companies in a company segment (keyset pages, like /companies)', params: IdParams, querystring: SegmentPageQuery, response: { 200: Page(Company), ...commonErrors } } },
    async (request, reply) => sendJsonText(reply, await companies.listText(request.actor, merged(request.query, { segment: request.params.id }) as never)));
  app.get('/segments/:id/count', { schema: { tags, summary: 'Count the records in a segment, stopping at 10,000', params: IdParams, response: { 200: CappedCount, ...commonErrors } } },
    async (request) => {
      const object = await segments.objectOf(request.actor, request.params.id);
      return object === 'contact' ? contacts.count(request.actor, { segment: request.params.id }) : companies.count(request.actor, { segment: request.params.id });
    });
}
