import { Type } from '@sinclair/typebox';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { CreateTag, RecordTags, Tag, UpdateTag } from './customers.tags.schemas.js';
import type { TagService } from './customers.tags.service.js';

const writeErrors = { ...commonErrors, 409: ErrorResponse };

export function tagRoutes(app: App, { tags: service }: { tags: TagService }) {
  const tags = ['tags'];
  app.get('/tags', { schema: { tags, summary: 'Tags of the workspace with how many records carry each', response: { 200: Type.Object({ items: Type.Array(Tag) }), ...commonErrors } } },
    async (request) => ({ items: await service.list(request.actor) }));
  app.post('/tags', { schema: { tags, summary: 'Create a tag', body: CreateTag, response: { 201: Tag, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await service.create(request.actor, request.body)));
  app.patch('/tags/:id', { schema: { tags, summary: 'Rename or recolour a tag (administrators)', params: IdParams, body: UpdateTag, response: { 200: Tag, ...writeErrors } } },
    (request) => service.update(request.actor, request.params.id, request.body));
  app.delete('/tags/:id', { schema: { tags, summary: 'Delete a tag, untagging every record (administrators)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await service.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
  for (const [path, object] of [['contacts', 'contact'], ['companies', 'company']] as const) {
    app.put(`/${path}/:id/tags`, { schema: { tags: [path], summary: `Set the tags of a ${object} (names; new names become tags)`, params: IdParams, body: RecordTags, response: { 200: RecordTags, ...commonErrors } } },
      (request) => service.setRecordTags(request.actor, object, request.params.id, request.body.tags));
  }
}
