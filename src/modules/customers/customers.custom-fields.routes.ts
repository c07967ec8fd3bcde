import { Type } from '@sinclair/typebox';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { expandCustomFields } from './customers.custom-fields.openapi.js';
import { CreateCustomField, CustomField, CustomFieldListQuery, UpdateCustomField } from './customers.custom-fields.schemas.js';
import type { CustomFieldService } from './customers.custom-fields.service.js';
import type { CustomFieldDefinition } from './customers.custom-fields.values.js';

const writeErrors = { ...commonErrors, 409: ErrorResponse };

export function customFieldRoutes(app: App, { customFields }: { customFields: CustomFieldService }) {
  const tags = ['custom fields'];
  app.get('/custom-fields', { schema: { tags, summary: 'Custom field definitions, by object and position', querystring: CustomFieldListQuery, response: { 200: Type.Object({ items: Type.Array(CustomField) }), ...commonErrors } } },
    async (request) => ({ items: await customFields.list(request.actor, request.query.object) }));
  app.post('/custom-fields', { schema: { tags, summary: 'Define a custom field (administrators)', body: CreateCustomField, response: { 201: CustomField, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await customFields.create(request.actor, request.body)));
  app.patch('/custom-fields/:id', { schema: { tags, summary: 'Relabel, reorder or change a custom field; the key never changes (administrators)', params: IdParams, body: UpdateCustomField, response: { 200: CustomField, ...writeErrors } } },
    (request) => customFields.update(request.actor, request.params.id, request.body));
  app.delete('/custom-fields/:id', { schema: { tags, summary: 'Delete a custom field and its values on every record (administrators)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await customFields.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
  app.get('/openapi.json', { schema: { tags: ['api'], summary: "This workspace's OpenAPI document: custom fields as typed properties" } },
    async (request) => {
      const byObject = new Map<string, CustomFieldDefinition[]>();
      for (const definition of await customFields.list(request.actor)) {
        byObject.set(definition.object, [...(byObject.get(definition.object) ?? []), definition]);
      }
      return expandCustomFields(app.swagger(), byObject);
    });
}
