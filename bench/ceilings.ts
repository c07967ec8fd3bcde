// The ceilings of BENCHMARKS.md, measured in the same run on the same machine: raw SQL
// through pgbench, a bare Fastify route, raw COPY into a copy of the contact table, and a
// raw COPY ... TO dump of the measured tenant.
import fs from 'node:fs';
import path from 'node:path';
import { contactColumns, copyFile, withClient } from './database.js';
import { runLoad, type LoadResult } from './operations.js';
import { percentile } from './percentile.js';
import type { PgLoopResult } from './pg-loop.js';
import { countOutputBytes, runCommand, startServer } from './processes.js';
import { endpointQueries, type Statement } from './statements.js';

export interface SqlCeiling {
  transactionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  error?: string;
}

export interface PgbenchOptions {
  databaseUrl: string;
  clients: number;
  durationSeconds: number;
  /** Session settings that make row-level security see the measured tenant, as the app's role would. */
  tenantId: string;
  directory: string;
  /** `prepared` when the app sends the endpoint's queries as named prepared statements. */
  protocol?: 'prepared' | 'extended';
}

function readLatencies(directory: string, prefix: string): number[] {
  const latencies: number[] = [];
  for (const file of fs.readdirSync(directory).filter((name) => name.startsWith(prefix))) {
    for (const line of fs.readFileSync(path.join(directory, file), 'utf8').split('\n')) {
      const microseconds = Number(line.split(' ')[2]);
      if (line && Number.isFinite(microseconds)) latencies.push(microseconds / 1000);
    }
    fs.rmSync(path.join(directory, file));
  }
  return latencies.sort((a, b) => a - b);
}


/** Runs the scripts (picked at random, equal weights) for a fixed time at the given concurrency. */
export async function runPgbench(name: string, scripts: string[], options: PgbenchOptions): Promise<SqlCeiling> {
  const files = scripts.map((script, index) => {
    const file = path.join(options.directory, `${name}-${index}.sql`);
    fs.writeFileSync(file, script);
    return file;
  });
  const logPrefix = `log-${name}`;
  try {
    const { stdout } = await runCommand('pgbench', [
      '-n', '-M', options.protocol ?? 'extended', '-c', String(options.clients), '-j', '2', '-T', String(options.durationSeconds),
      '-l', `--log-prefix=${path.join(options.directory, logPrefix)}`, ...files.flatMap((file) => ['-f', `${file}@1`]), options.databaseUrl,
    ], {
      env: { PGOPTIONS: `-c role=rapport_app -c app.tenant_id=${options.tenantId}` },
      timeoutMs: (options.durationSeconds + 60) * 1000,
    });
    const latencies = readLatencies(options.directory, logPrefix);
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
    return { transactionsPerSecond: tps, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  } catch (error) {
    readLatencies(options.directory, logPrefix);
    return { transactionsPerSecond: 0, p50Ms: 0, p99Ms: 0, error: (error as Error).message.slice(0, 500) };
  }
}

export interface MiddlewareMeasurement {
  /** `/health/live` on the Rapport server and the bare route, in the round whose ratio is the median. */
  health: LoadResult;
  bareHttp: LoadResult;
  ratioToBareHttp: number;
  /** Each round's ratio, in the order run. */
  roundRatios: number[];
}

/**
 * Rapport's middleware against the bare route, in alternating rounds: `/health/live` on the
 * running server, then the bare route, `rounds` times, each for `roundSeconds`. The median
 * round's ratio is the figure. One run of each, back to back, gave 0.30–0.83 on one host within
 * an hour (2026-12-08): its speed moves by 2–3× within minutes, and a ratio whose two sides ran
 * apart measured the move.
 */
export async function measureMiddleware(serverUrl: string, port: number, options: { connections: number; roundSeconds: number; rounds: number; serverPid?: number }): Promise<MiddlewareMeasurement> {
  const bare = await startServer(['--import', 'tsx', 'bench/bare-route.ts'], { PORT: String(port), LOG_LEVEL: 'warn' }, port, '/constant');
  const health = { method: 'GET', path: '/health/live' };
  const constant = { method: 'GET', path: '/constant' };
  try {
    await runLoad(constant, { url: bare.url, connections: options.connections, durationSeconds: 1 });
    const rounds: { health: LoadResult; bareHttp: LoadResult; ratio: number }[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const ofServer = await runLoad(health, { url: serverUrl, connections: options.connections, durationSeconds: options.roundSeconds, serverPid: options.serverPid });
      const ofBare = await runLoad(constant, { url: bare.url, connections: options.connections, durationSeconds: options.roundSeconds, serverPid: bare.child.pid });
      rounds.push({ health: ofServer, bareHttp: ofBare, ratio: ofBare.requestsPerSecond > 0 ? ofServer.requestsPerSecond / ofBare.requestsPerSecond : 0 });
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
    return { health: median.health, bareHttp: median.bareHttp, ratioToBareHttp: median.ratio, roundRatios: rounds.map((round) => round.ratio) };
  } finally {
    await bare.stop();
  }
}

export interface ThroughputCeiling {
  rows: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
}

/** COPY the measured tenant's contacts into an empty table with the contact table's indexes. */
export async function measureRawIngest(databaseUrl: string, file: string, rows: number): Promise<ThroughputCeiling> {
  await withClient(databaseUrl, (client) => client.query('drop table if exists bench_ingest; create table bench_ingest (like contact including all)'));
  try {
    const milliseconds = await copyFile(databaseUrl, 'bench_ingest', contactColumns, file, true);
    return { rows, rowsPerSecond: rows / (milliseconds / 1000), megabytesPerSecond: fs.statSync(file).size / 1e6 / (milliseconds / 1000) };
  } finally {
    await withClient(databaseUrl, (client) => client.query('drop table if exists bench_ingest'));
  }
}

/** COPY ... TO STDOUT of one tenant's contacts, the floor under any backup or export. */
export async function measureRawDump(databaseUrl: string, tenantId: string): Promise<ThroughputCeiling> {
  const rows = await withClient(databaseUrl, async (client) => Number((await client.query('select count(*) from contact where tenant_id = $1', [tenantId])).rows[0].count));
  const { bytes, milliseconds } = await countOutputBytes('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
    `copy (select * from contact where tenant_id = '${tenantId}') to stdout`]);
  return { rows, rowsPerSecond: rows / (milliseconds / 1000), megabytesPerSecond: bytes / 1e6 / (milliseconds / 1000) };
}

/**
 * The bare `pg` loop ceiling: the endpoint's own queries (no BEGIN/COMMIT, no session set-up)
 * sent by node-pg from a separate Node process, named where the app names them. Reads only:
 * its connections are read-only.
 */
export async function runPgLoop(name: string, calls: Statement[][], options: PgbenchOptions): Promise<SqlCeiling> {
  const file = path.join(options.directory, `${name}-pg-loop.json`);
  fs.writeFileSync(file, JSON.stringify(calls.map(endpointQueries)));
  try {
    const { stdout } = await runCommand(process.execPath, [
      '--import', 'tsx', 'bench/pg-loop.ts', file, options.databaseUrl, options.tenantId, String(options.clients), String(options.durationSeconds),
    ], { timeoutMs: (options.durationSeconds + 60) * 1000 });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as PgLoopResult;
    return { transactionsPerSecond: result.callsPerSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms };
  } catch (error) {
    return { transactionsPerSecond: 0, p50Ms: 0, p99Ms: 0, error: (error as Error).message.slice(0, 500) };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
