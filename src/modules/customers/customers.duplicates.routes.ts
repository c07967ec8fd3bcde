import { Type } from '@sinclair/typebox';
import { commonErrors, IdParams, Page } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { DuplicateListQuery, DuplicatePair, DuplicateScan, StartScan } from './customers.duplicates.schemas.js';
import type { DuplicateService } from './customers.duplicates.service.js';

export function duplicateRoutes(app: App, { duplicates }: { duplicates: DuplicateService }) {
  const tags = ['duplicates'];
  app.post('/duplicates/scans', {
    schema: { tags, summary: 'Start a duplicate scan of all contacts or companies (a job); answers the running one if there is one', body: StartScan, response: { 202: DuplicateScan, ...commonErrors } },
  }, async (request, reply) => reply.code(202).send(await duplicates.startScan(request.actor, request.body.object)));
  app.get('/duplicates/scans/:id', { schema: { tags, summary: 'A duplicate scan’s progress', params: IdParams, response: { 200: DuplicateScan, ...commonErrors } } },
    (request) => duplicates.getScan(request.actor, request.params.id));
  app.get('/duplicates', {
    schema: { tags, summary: 'The review queue: likely duplicate pairs, best score first (keyset pages)', querystring: DuplicateListQuery, response: { 200: Page(DuplicatePair), ...commonErrors } },
  }, (request) => duplicates.listPairs(request.actor, request.query));
  app.post('/duplicates/:id/dismiss', { schema: { tags, summary: 'Mark a pair as not duplicates; later scans keep it dismissed', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await duplicates.dismiss(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
}
