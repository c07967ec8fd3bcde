// `rapport export contacts [--format csv|json] [--out FILE]`: the export service in-process,
// acting as the workspace user resolveCommandActor finds; rows stream to the file or stdout.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../platform/actor.js';
import { CommandError } from './customers.import.cli.js';
import type { ExportFormat, ExportObject, ExportService } from './customers.export.service.js';

export async function runExportCommand(exports: ExportService, actor: Actor, object: ExportObject, options: { format?: ExportFormat; out?: string }) {
  const format = options.format ?? 'csv';
  if (!['csv', 'json'].includes(format)) throw new CommandError('--format is csv or json');
  const target = options.out ? fs.createWriteStream(options.out) : process.stdout;
  let rows = 0;
  const chunks = Readable.from(exports.stream(actor, object, format, {}, (count) => {
    rows = count;
  }));
  // Standard output stays open for the summary line; a file is closed when done.
  await pipeline(chunks, target, { end: target !== process.stdout });
  return rows;
}
