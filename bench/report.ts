// The benchmark's output: one table on stdout and bench/results/<date>-<tier>.json. Every
// API figure sits beside the ceiling it is divided by, measured in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobFigure } from './capabilities.js';
import type { SqlCeiling, ThroughputCeiling } from './ceilings.js';
import type { EmbeddedReport } from './embedded.js';
import type { LoadResult } from './operations.js';

export interface OperationReport extends LoadResult {
  name: string;
  label: string;
  isWrite: boolean;
  /** p99 with the load held at half the throughput above (BENCHMARKS.md: p99 at 50 % of max). */
  p99AtHalfLoadMs?: number;
  /** The three paced runs whose median is p99AtHalfLoadMs. */
  p99AtHalfLoadRunsMs?: number[];
  /** The load generator's longest stall in each of those runs (LoadResult.generatorStallMaxMs). */
  halfLoadGeneratorStallMaxMs?: number[];
  /** PostgreSQL connections the server opened during each of those runs (a lower bound). */
  halfLoadBackendsStarted?: number[];
  /** The server's major garbage collections during each of those runs, and their pauses summed (ms). */
  halfLoadMajorCollections?: number[];
  halfLoadMajorCollectionMs?: number[];
  /** Per paced run: the server's longest event-loop delay (its /metrics), in ms. */
  halfLoadServerDelayMaxMs?: number[];
  /** Whether those runs' generator had real-time priority (chrt -f). */
  halfLoadGeneratorRealtime?: boolean;
  /**
   * Gets per query at full load, and over the paced runs: gets arriving together share one query
   * (src/platform/read-batches.ts). Undefined for operations that are not batched.
   */
  readBatchMeanSize?: number;
  halfLoadReadBatchMeanSize?: number;
  sqlQuery?: SqlCeiling;
  sqlTransaction?: SqlCeiling;
  ratioToSqlQuery?: number;
  ratioToSqlTransaction?: number;
  /** How pgbench and the pg loop send the queries: `prepared` when the app prepares them all. */
  sqlProtocol?: 'prepared' | 'extended';
  /** The bare node-pg loop ceiling (bench/pg-loop.ts), reads only. */
  pgLoop?: SqlCeiling;
  ratioToPgLoop?: number;
}

export interface BenchReport {
  tier: string;
  date: string;
  smoke: boolean;
  settings: { connections: number; durationSeconds: number; seed: number; appPoolSize: number; halfLoadWarmUpSeconds?: number };
  machine: { cores: number; cpu: string; memoryGb: number; node: string; postgres: string; os: string };
  data: Record<string, unknown>;
  ceilings: { bareHttp?: LoadResult; rawIngest?: ThroughputCeiling; rawDump?: ThroughputCeiling };
  middleware?: { health: LoadResult; ratioToBareHttp: number; roundRatios?: number[] };
  operations: OperationReport[];
  peakRssMb: number;
  /** The measured tenant's contacts as a streamed CSV download. */
  contactExport?: JobFigure;
  jobs?: { import: JobFigure; duplicateScan: JobFigure };
  embedded?: EmbeddedReport;
  profile?: { file: string; flameGraph?: string; top: { function: string; selfPercent: number }[] };
  totalSeconds: number;
}

export function describeMachine(postgres: string): BenchReport['machine'] {
  return {
    cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, postgres, os: `${os.type()} ${os.release()}`,
  };
}

const number = (value: number | undefined, digits = 0) => value === undefined || !Number.isFinite(value) ? '–'
  : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A ceiling's rate, or "failed" when its run failed (the error is in the JSON and on stderr). */
const ceilingRate = (ceiling: SqlCeiling | undefined) => (ceiling?.error ? 'failed' : number(ceiling?.transactionsPerSecond));

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join(' | ')} |`;
  return [line(header), `|${widths.map((width, column) => (column === 0 ? ':' : '') + '-'.repeat(width + 1) + (column === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Names the reads whose half-load runs made the server open PostgreSQL connections. */
function churnNote(operations: OperationReport[]): string[] {
  const churned = operations.filter((operation) => (operation.halfLoadBackendsStarted ?? []).some((count) => count > 0));
  if (churned.length === 0) return [];
  return [`PostgreSQL connections opened during the half-load runs (their first queries are slow): ${churned
    .map((operation) => `${operation.label} ${operation.halfLoadBackendsStarted!.join('/')}`).join(', ')}.`];
}

/** Names the reads whose half-load runs had the server stop for a major garbage collection. */
function collectionNote(operations: OperationReport[]): string[] {
  const collected = operations.filter((operation) => (operation.halfLoadMajorCollections ?? []).some((count) => count > 0));
  if (collected.length === 0) return [];
  return [`Major garbage collections in the server during the half-load runs (count, pauses summed): ${collected
    .map((operation) => `${operation.label} ${operation.halfLoadMajorCollections!.map((count, run) => `${count} (${number(operation.halfLoadMajorCollectionMs![run], 1)} ms)`).join('/')}`).join(', ')}.`];
}

/** Where a half-load p99 can come from besides the request itself: the server or the generator standing still. */
function pauseNote(operations: OperationReport[]): string[] {
  const paced = operations.filter((operation) => operation.halfLoadServerDelayMaxMs?.length);
  if (paced.length === 0) return [];
  const runs = (values: number[] | undefined) => (values ?? []).map((value) => number(value, 0)).join('/');
  return [`Longest pause per half-load run, ms, server event loop (its longest gap between 10 ms samples, so 10 is none) | load generator: ${paced
    .map((operation) => `${operation.label} ${runs(operation.halfLoadServerDelayMaxMs)} | ${runs(operation.halfLoadGeneratorStallMaxMs)}`).join('; ')}.`];
}

/** How many gets shared each query in the reads the server batches (src/platform/read-batches.ts). */
function batchNote(operations: OperationReport[]): string[] {
  const batched = operations.filter((operation) => operation.readBatchMeanSize !== undefined);
  if (batched.length === 0) return [];
  return [`Gets per query (gets arriving together share one; the SQL ceilings run one get per query): ${batched
    .map((operation) => `${operation.label} ${number(operation.readBatchMeanSize, 1)} at full load, ${number(operation.halfLoadReadBatchMeanSize, 1)} at half load`).join('; ')}.`];
}

/** The report as Markdown tables: what stdout shows and what docs/benchmarks.md quotes. */
export function formatReport(report: BenchReport): string {
  const { machine, settings } = report;
  const lines = [
    `Rapport benchmark — tier ${report.tier}${report.smoke ? ' (smoke)' : ''}, ${report.date}`,
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}; ` +
      `${settings.connections} connections, ${settings.durationSeconds} s per operation, app pool ${settings.appPoolSize}`,
    '',
    formatTable(
      ['operation', 'req/s', 'p50 ms', 'p99 ms', 'p99 @50% ms', 'SQL q/s', 'API ÷ SQL', 'SQL+tx/s', 'API ÷ SQL+tx', 'pg loop/s', 'API ÷ loop', 'failed', 'peak RSS MB'],
      report.operations.map((operation) => [
        operation.label, number(operation.requestsPerSecond), number(operation.p50Ms, 1), number(operation.p99Ms, 1), number(operation.p99AtHalfLoadMs, 1),
        `${operation.sqlProtocol === 'prepared' ? 'ᵖ ' : ''}${ceilingRate(operation.sqlQuery)}`, number(operation.ratioToSqlQuery, 2),
        ceilingRate(operation.sqlTransaction), number(operation.ratioToSqlTransaction, 2),
        ceilingRate(operation.pgLoop), number(operation.ratioToPgLoop, 2),
        String(operation.failed), number(operation.peakRssMb),
      ]),
    ),
    'ᵖ: the app sends these queries as prepared statements, so pgbench and the pg loop do too (-M prepared).',
    ...batchNote(report.operations),
    ...churnNote(report.operations),
    ...collectionNote(report.operations),
    ...pauseNote(report.operations),
    '',
  ];
  const { bareHttp, rawIngest, rawDump } = report.ceilings;
  const ceilingRows: string[][] = [];
  if (bareHttp) ceilingRows.push(['bare Fastify route (constant)', `${number(bareHttp.requestsPerSecond)} req/s`, `p99 ${number(bareHttp.p99Ms, 1)} ms`]);
  if (report.middleware) {
    ceilingRows.push(['our middleware (GET /health/live)', `${number(report.middleware.health.requestsPerSecond)} req/s`, `${number(report.middleware.ratioToBareHttp, 2)} × bare route${roundsNote(report.middleware.roundRatios)}`]);
  }
  if (rawIngest) ceilingRows.push(['raw COPY into contact-like table', `${number(rawIngest.rowsPerSecond)} rows/s`, `${number(rawIngest.megabytesPerSecond, 1)} MB/s, ${number(rawIngest.rows)} rows`]);
  if (rawDump) ceilingRows.push(['raw dump (COPY … TO, one tenant)', `${number(rawDump.rowsPerSecond)} rows/s`, `${number(rawDump.megabytesPerSecond, 1)} MB/s, ${number(rawDump.rows)} rows`]);
  const load = report.data.load as { contactsPerSecond?: number } | undefined;
  if (load?.contactsPerSecond) ceilingRows.push(['bench data load (COPY, all tables)', `${number(load.contactsPerSecond)} contacts/s`, 'FK triggers off']);
  ceilingRows.push(['API server peak RSS (VmHWM)', `${number(report.peakRssMb)} MB`, 'target ≤ 250 MB']);
  if (report.contactExport) {
    const { rows, seconds, rowsPerSecond, accounting, peakRssMb } = report.contactExport;
    const toDump = rawDump && rowsPerSecond / rawDump.rowsPerSecond;
    ceilingRows.push(['CSV export (streamed download)', `${number(rowsPerSecond)} rows/s`,
      `${number(toDump, 2)} × raw dump; ${number(rows)} rows, ${number((accounting?.bytes ?? 0) / 1e6, 1)} MB in ${number(seconds, 1)} s; RSS ≤ ${number(peakRssMb)} MB`]);
  }
  if (report.jobs) {
    const { import: imported, duplicateScan } = report.jobs;
    const toCopy = rawIngest && imported.rowsPerSecond / rawIngest.rowsPerSecond;
    const accounting = Object.entries(imported.accounting ?? {}).map(([name, value]) => `${name} ${number(value)}`).join(', ');
    ceilingRows.push(['CSV import (API upload, worker job)', `${number(imported.rowsPerSecond)} rows/s`,
      imported.error ? `failed: ${imported.error}` : `${number(toCopy, 2)} × raw COPY; ${number(imported.rows)} rows in ${number(imported.seconds, 1)} s: ${accounting}`]);
    ceilingRows.push(['duplicate scan (worker job)', `${number(duplicateScan.seconds, 1)} s`,
      duplicateScan.error ? `failed: ${duplicateScan.error}` : `${number(duplicateScan.rows)} contacts, ${number(duplicateScan.accounting?.pairsFound)} pairs`]);
  }
  lines.push(formatTable(['ceiling / figure', 'value', 'note'], ceilingRows), '');
  if (report.embedded) {
    const embedded = report.embedded;
    lines.push(`Embedded shape (PGlite), ${number(embedded.contacts)} contacts seeded through the services in ${number(embedded.seedSeconds, 1)} s; peak RSS ${number(embedded.peakRssMb)} MB`, '');
    lines.push(formatTable(['operation', 'req/s', 'p50 ms', 'p99 ms', 'failed'], Object.entries(embedded.operations).map(([name, result]) => [
      name, number(result.requestsPerSecond), number(result.p50Ms, 1), number(result.p99Ms, 1), String(result.failed),
    ])), '');
  }
  return lines.join('\n');
}

export function writeReport(report: BenchReport, directory = 'bench/results'): string {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${report.date}-${report.tier}${report.smoke ? '-smoke' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

/** The rounds' ratios when there were several: the figure is their median. */
function roundsNote(ratios: number[] | undefined): string {
  return ratios && ratios.length > 1 ? `, median of ${ratios.map((ratio) => number(ratio, 2)).join(', ')}` : '';
}
