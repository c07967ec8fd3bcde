// Export endpoints: a list as a streamed download (chunked, page by page), or as a job whose
// file is downloaded when done. The query is the list's own: q, filter[...], sort, view, segment.
import { Readable } from 'node:stream';
import { Type, type TObject } from '@sinclair/typebox';
import { commonErrors, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { merged } from '../../platform/objects.js';
import type { ExportJobs } from './customers.export.job.js';
import type { ExportFormat, ExportObject, ExportQuery, ExportService } from './customers.export.service.js';
import { CompanyListQuery, ContactListQuery } from './customers.schemas.js';

const Format = Type.Union([Type.Literal('csv'), Type.Literal('json')], { default: 'csv' });

/** The list's query without paging, plus the format. */
function exportQuery(list: TObject) {
  const { limit: _limit, cursor: _cursor, ...properties } = list.properties;
  return Type.Object(merged(properties, { format: Type.Optional(Format) }), { additionalProperties: false, patternProperties: list.patternProperties });
}

const DataExport = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: Type.String(),
  format: Type.String(),
  status: Type.String({ description: 'queued, running, completed, failed' }),
  rowsWritten: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const StartExport = Type.Object({
  object: Type.Union([Type.Literal('contacts'), Type.Literal('companies')]),
  format: Type.Optional(Format),
  query: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'The list query: q, sort, filter[...], view, segment' })),
}, { additionalProperties: false });

const contentTypes: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

export function exportRoutes(app: App, { exports, exportJobs }: { exports: ExportService; exportJobs: ExportJobs }) {
  for (const [object, plural, list] of [['contact', 'contacts', ContactListQuery], ['company', 'companies', CompanyListQuery]] as const) {
    app.get(`/${plural}/export`, { schema: { tags: [plural], summary: `Export ${plural} (the current list: search, filters, sort) as CSV or JSON, streamed`, querystring: exportQuery(list) } },
      async (request, reply) => {
        const { format = 'csv', ...query } = request.query as { format?: ExportFormat } & ExportQuery;
        const chunks = exports.stream(request.actor, object as ExportObject, format, query);
        // The first chunk (the header) comes after the permission check: a refusal is still a plain 4xx.
        const first = await chunks.next();
        return reply.type(contentTypes[format]).header('content-disposition', `attachment; filename="${plural}.${format}"`)
          .send(Readable.from((async function* () {
            if (!first.done) yield first.value;
            yield* chunks;
          })()));
      });
  }
  const tags = ['exports'];
  app.post('/exports', { schema: { tags, summary: 'Export a list as a job, for large lists', body: StartExport, response: { 202: DataExport, ...commonErrors } } },
    async (request, reply) => reply.code(202).send(await exportJobs.start(request.actor, {
      object: request.body.object === 'contacts' ? 'contact' : 'company', format: request.body.format ?? 'csv', query: (request.body.query ?? {}) as ExportQuery,
    })));
  app.get('/exports/:id', { schema: { tags, summary: 'An export job: status and rows written', params: IdParams, response: { 200: DataExport, ...commonErrors } } },
    (request) => exportJobs.get(request.actor, request.params.id));
  app.get('/exports/:id/download', { schema: { tags, summary: 'The finished export file (kept 24 hours); 409 before it is done, 410 after', params: IdParams } },
    async (request, reply) => {
      const file = await exportJobs.download(request.actor, request.params.id);
      return reply.type(contentTypes[file.format]).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.stream);
    });
}
