import { ErrorResponse, commonErrors, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { CompanyMergeResult, ContactMergeResult, Merge, MergeListQuery, MergeRequest } from './customers.merge.schemas.js';
import type { MergeService } from './customers.merge.service.js';
import { Type } from '@sinclair/typebox';

const writeErrors = { ...commonErrors, 409: ErrorResponse };

export function mergeRoutes(app: App, { merges }: { merges: MergeService }) {
  const tags = ['merges'];
  app.post('/contacts/merge', {
    schema: { tags: ['contacts', ...tags], summary: 'Merge contacts into a survivor (undoable)', body: MergeRequest, response: { 200: ContactMergeResult, ...writeErrors } },
  }, (request) => merges.merge(request.actor, 'contact', request.body));
  app.post('/companies/merge', {
    schema: { tags: ['companies', ...tags], summary: 'Merge companies into a survivor; their contacts move to it (undoable)', body: MergeRequest, response: { 200: CompanyMergeResult, ...writeErrors } },
  }, (request) => merges.merge(request.actor, 'company', request.body));
  app.get('/merges', {
    schema: { tags, summary: 'Merges a record survived or was merged away in, newest first', querystring: MergeListQuery, response: { 200: Type.Object({ items: Type.Array(Merge) }), ...commonErrors } },
  }, (request) => merges.list(request.actor, request.query));
  app.post('/merges/:id/undo', {
    schema: { tags, summary: 'Undo a merge: the merged records come back with their ids and values', params: IdParams, response: { 200: Merge, ...writeErrors } },
  }, (request) => merges.undo(request.actor, request.params.id));
}
