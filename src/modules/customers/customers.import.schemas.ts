// Request and answer shapes of the import endpoints (validation and OpenAPI from one source).
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schemas.js';

export const ImportObjectName = Type.Union([Type.Literal('contacts'), Type.Literal('companies')], { description: 'What the file holds' });
export const ImportEncodingName = Type.Union([Type.Literal('utf-8'), Type.Literal('latin1'), Type.Literal('gb18030')], {
  default: 'utf-8', description: 'A file that is not valid UTF-8 is refused unless its encoding is named here',
});
const Mapping = Type.Record(Type.String(), Type.String(), { description: 'File column → field (name, email, phone, …, or customFields.<key>)' });

export const PreviewQuery = Type.Object({
  object: ImportObjectName,
  encoding: Type.Optional(ImportEncodingName),
}, { additionalProperties: false });

export const ImportPreview = Type.Object({
  headers: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Type.String())),
  delimiter: Type.String(),
  suggestedMapping: Mapping,
  customFields: Type.Array(Type.String()),
});

export const StartImportQuery = Type.Object({
  object: ImportObjectName,
  mode: Type.Optional(Type.Union([Type.Literal('create'), Type.Literal('upsert_email'), Type.Literal('upsert_external_id')], {
    default: 'create', description: 'create: rows matching an existing record are skipped as duplicates; upsert_*: they update it',
  })),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Count what would happen; write nothing' })),
  mapping: Type.Optional(Type.String({ maxLength: 20_000, description: 'The mapping as JSON; without it (and without template) the suggested mapping is used' })),
  template: Type.Optional(Type.String({ maxLength: 200 })),
  encoding: Type.Optional(ImportEncodingName),
  fileName: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export type StartImportQuery = Static<typeof StartImportQuery>;

export const DataImport = Type.Object({
  id: Type.String({ format: 'uuid' }),
  object: Type.String(),
  mode: Type.String(),
  dryRun: Type.Boolean(),
  status: Type.String({ description: 'queued, running, completed, failed, undoing, undone' }),
  fileName: Type.String(),
  mapping: Mapping,
  progress: Type.Object({
    rowsRead: Type.Integer(), rowsTotal: Nullable(Type.Integer()), created: Type.Integer(), updated: Type.Integer(),
    skipped: Type.Integer(), rejected: Type.Integer(), bytesRead: Type.Integer(), bytesTotal: Type.Integer(),
  }),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  undo: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ImportTemplate = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  object: Type.String(),
  mapping: Mapping,
  createdAt: Type.String({ format: 'date-time' }),
});

export const CreateImportTemplate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  object: ImportObjectName,
  mapping: Mapping,
}, { additionalProperties: false });
export type CreateImportTemplate = Static<typeof CreateImportTemplate>;
