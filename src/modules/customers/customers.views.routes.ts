import { Type } from '@sinclair/typebox';
import { commonErrors, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { CreateView, UpdateView, View, ViewListQuery } from './customers.views.schemas.js';
import type { ViewService } from './customers.views.service.js';

export function viewRoutes(app: App, { views }: { views: ViewService }) {
  const tags = ['views'];
  app.get('/views', { schema: { tags, summary: 'Your saved views and the shared ones', querystring: ViewListQuery, response: { 200: Type.Object({ items: Type.Array(View) }), ...commonErrors } } },
    async (request) => ({ items: await views.list(request.actor, request.query.object) }));
  app.post('/views', { schema: { tags, summary: 'Save a view: columns, filter and sort of a list', body: CreateView, response: { 201: View, ...commonErrors } } },
    async (request, reply) => reply.code(201).send(await views.create(request.actor, request.body)));
  app.patch('/views/:id', { schema: { tags, summary: 'Change a view (its owner, or an admin for a shared view)', params: IdParams, body: UpdateView, response: { 200: View, ...commonErrors } } },
    (request) => views.update(request.actor, request.params.id, request.body));
  app.delete('/views/:id', { schema: { tags, summary: 'Delete a view (its owner, or an admin for a shared view)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await views.delete(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
}
