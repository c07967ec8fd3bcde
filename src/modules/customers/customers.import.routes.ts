// Import endpoints. The file travels as the raw request body (text/csv), which is handed to
// the service as a stream and written to disk as it arrives: never buffered whole.
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { FieldError } from '../../platform/errors.js';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import type { ImportObject, Mapping } from './customers.import.mapping.js';
import { CreateImportTemplate, DataImport, ImportPreview, ImportTemplate, PreviewQuery, StartImportQuery } from './customers.import.schemas.js';
import type { ImportService } from './customers.import.service.js';

const objectOf = (name: 'contacts' | 'companies'): ImportObject => (name === 'contacts' ? 'contact' : 'company');

function parseMapping(text: string | undefined): Mapping | undefined {
  if (text === undefined) return undefined;
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch {
    throw new FieldError('import.mapping_invalid', 'mapping', 'The mapping is not JSON');
  }
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping) || Object.values(mapping).some((field) => typeof field !== 'string')) {
    throw new FieldError('import.mapping_invalid', 'mapping', 'The mapping is an object of column name → field name');
  }
  return mapping as Mapping;
}

const fileBody = { description: 'The CSV file as the raw body (Content-Type: text/csv)' };

export function importRoutes(app: App, { imports }: { imports: ImportService }) {
  return app.register(async (scope) => {
    const api = scope as unknown as App;
    // The body stays a stream: the service writes it to a file as it arrives.
    for (const type of ['text/csv', 'application/octet-stream']) api.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    const tags = ['imports'];
    api.post('/imports/preview', { schema: { tags, summary: 'Headers, first rows and a suggested mapping of a CSV file (send its first 256 KB)', querystring: PreviewQuery, body: Type.Unknown(fileBody), response: { 200: ImportPreview, ...commonErrors } } },
      (request) => imports.preview(request.actor, objectOf(request.query.object), request.body as Readable, request.query.encoding));
    api.post('/imports', { schema: { tags, summary: 'Upload a CSV file and start importing it (a job); answers at once with the import', querystring: StartImportQuery, body: Type.Unknown(fileBody), response: { 202: DataImport, ...commonErrors } } },
      async (request, reply) => {
        const { object, mode, dryRun, mapping, template, encoding, fileName } = request.query;
        const started = await imports.start(request.actor, {
          object: objectOf(object), mode: mode ?? 'create', dryRun: dryRun ?? false, mapping: parseMapping(mapping), template, encoding, fileName,
        }, request.body as Readable);
        return reply.code(202).send(started);
      });
    api.get('/imports', { schema: { tags, summary: 'The latest imports', response: { 200: Type.Object({ items: Type.Array(DataImport) }), ...commonErrors } } },
      async (request) => ({ items: await imports.list(request.actor) }));
    api.get('/imports/:id', { schema: { tags, summary: 'An import: status and progress', params: IdParams, response: { 200: DataImport, ...commonErrors } } },
      (request) => imports.get(request.actor, request.params.id));
    api.get('/imports/:id/errors', { schema: { tags, summary: 'The rejected rows as CSV: row number, code, field, message, then the row as read', params: IdParams } },
      async (request, reply) => {
        const lines = imports.errorsCsv(request.actor, request.params.id);
        const first = await lines.next();
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${request.params.id}-errors.csv"`)
          .send(Readable.from((async function* () {
            if (!first.done) yield first.value;
            yield* lines;
          })()));
      });
    api.post('/imports/:id/undo', { schema: { tags, summary: 'Undo an import (a job): delete what it created, restore what it updated; records changed since are reported', params: IdParams, response: { 202: DataImport, 409: ErrorResponse, ...commonErrors } } },
      async (request, reply) => reply.code(202).send(await imports.undo(request.actor, request.params.id)));
    api.get('/import-templates', { schema: { tags, summary: 'Saved mappings', response: { 200: Type.Object({ items: Type.Array(ImportTemplate) }), ...commonErrors } } },
      async (request) => ({ items: await imports.listTemplates(request.actor) }));
    api.post('/import-templates', { schema: { tags, summary: 'Save a mapping under a name', body: CreateImportTemplate, response: { 201: ImportTemplate, 409: ErrorResponse, ...commonErrors } } },
      async (request, reply) => reply.code(201).send(await imports.createTemplate(request.actor, { name: request.body.name, object: objectOf(request.body.object), mapping: request.body.mapping })));
    api.delete('/import-templates/:id', { schema: { tags, summary: 'Delete a saved mapping', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
      async (request, reply) => {
        await imports.deleteTemplate(request.actor, request.params.id);
        return reply.code(204).send(null);
      });
  });
}
