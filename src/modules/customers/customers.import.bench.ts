// What the benchmark harness calls to time an import: the CLI's path without the CLI — the
// same service, in-process, on whichever database the harness opened. Returns the accounting,
// the wall time and the peak resident memory seen while it ran.
import type { Database } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';
import { resolveCommandActor } from './customers.import.cli.js';
import type { ImportMode, ImportObject } from './customers.import.mapping.js';
import type { ImportService } from './customers.import.service.js';

export interface ImportBenchOptions {
  imports: ImportService;
  database: Database;
  file: string;
  object?: ImportObject;
  mode?: ImportMode;
  /** Workspace slug; the only workspace when omitted. */
  workspace?: string;
  batchSize?: number;
}

export async function runImportFile(options: ImportBenchOptions) {
  const actor = await resolveCommandActor(options.database, { workspace: options.workspace });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const startedAt = performance.now();
  try {
    const result = await options.imports.runFromFile(actor, { object: options.object ?? 'contact', mode: options.mode ?? 'create', dryRun: false }, options.file, { batchSize: options.batchSize });
    const seconds = (performance.now() - startedAt) / 1000;
    return merged(result.progress, { importId: result.importId, seconds, rowsPerSecond: Math.round(result.progress.rowsRead / seconds), peakRssBytes: peakRss });
  } finally {
    clearInterval(sampler);
  }
}
