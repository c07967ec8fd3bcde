// The measured operations as HTTP requests, and the load runner. Load comes from
// autocannon in the benchmark's own process, a different process from the server, on
// loopback; every run is bounded by its duration and autocannon's per-request timeout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type RawRequest, type Request } from 'autocannon';
import { createCustomerFactory } from '../src/modules/customers/customers.factory.js';
import type { CreateContact } from '../src/modules/customers/customers.schemas.js';
import type { ServerMetrics } from './gc-metrics.js';
import type { PacedRequest, PacedSpec } from './paced-load.js';
import { readMemory, runCommand } from './processes.js';

export interface OperationPlan {
  tenantId: string;
  ownerId: string;
  contactIds: string[];
  companyIds: string[];
  searchTerms: string[];
  deepCursors: string[];
  newContact: (index: number) => CreateContact;
}

export interface Operation {
  name: string;
  label: string;
  isWrite: boolean;
  /** Which captured call is its raw SQL ceiling (see statements.ts), if any. */
  sqlCeiling?: string;
  request: Request;
}

const json = { 'content-type': 'application/json' };

/** A request whose path or body changes on every call, cycling through the plan's values. */
function cycling(method: string, build: (index: number) => RawRequest): Request {
  let index = 0;
  return {
    method,
    setupRequest: (request) => {
      const built = build(index++);
      return { ...request, method, ...built, headers: { ...request.headers, ...built.headers } };
    },
  };
}

export function createPlan(base: Omit<OperationPlan, 'newContact'>, runToken: string): OperationPlan {
  const factory = createCustomerFactory(4242);
  return {
    ...base,
    newContact: (index) => ({ ...factory.contact({ email: `bench-${runToken}-${index}@example.org` }), companyId: base.companyIds[index % base.companyIds.length] ?? null }),
  };
}

export function listOperations(plan: OperationPlan): Operation[] {
  const at = <T>(items: T[], index: number) => items[index % items.length];
  let created = 1_000_000;
  return [
    { name: 'get', label: 'get record', isWrite: false, sqlCeiling: 'get', request: cycling('GET', (index) => ({ path: `/api/v1/contacts/${at(plan.contactIds, index)}` })) },
    { name: 'listFirst', label: 'list first page', isWrite: false, sqlCeiling: 'listFirst', request: { method: 'GET', path: '/api/v1/contacts?limit=50' } },
    { name: 'listDeep', label: 'list deep page', isWrite: false, sqlCeiling: 'listDeep', request: cycling('GET', (index) => ({ path: `/api/v1/contacts?limit=50&cursor=${at(plan.deepCursors, index)}` })) },
    { name: 'filtered', label: 'filtered list', isWrite: false, sqlCeiling: 'filtered', request: cycling('GET', (index) => ({ path: `/api/v1/contacts?limit=50&filter%5BcompanyId%5D=${at(plan.companyIds, index)}` })) },
    { name: 'search', label: 'search', isWrite: false, sqlCeiling: 'search', request: cycling('GET', (index) => ({ path: `/api/v1/contacts?limit=50&q=${encodeURIComponent(at(plan.searchTerms, index))}` })) },
    { name: 'globalSearch', label: 'global search', isWrite: false, request: cycling('GET', (index) => ({ path: `/api/v1/search?q=${encodeURIComponent(at(plan.searchTerms, index))}&limit=20` })) },
    { name: 'count', label: 'capped count', isWrite: false, sqlCeiling: 'count', request: { method: 'GET', path: '/api/v1/contacts/count' } },
    { name: 'create', label: 'create contact', isWrite: true, sqlCeiling: 'create', request: cycling('POST', () => ({ path: '/api/v1/contacts', headers: json, body: JSON.stringify(plan.newContact(created++)) })) },
    { name: 'update', label: 'update contact', isWrite: true, sqlCeiling: 'update', request: cycling('PATCH', (index) => ({ path: `/api/v1/contacts/${at(plan.contactIds, index * 7)}`, headers: json, body: JSON.stringify({ title: `Bench title ${index}` }) })) },
  ];
}

/**
 * 78 % reads, 22 % writes, in a fixed cycle of 50 requests per connection: 20 gets, 8 first
 * pages, 4 deep pages, 4 filtered lists, 2 searches, 1 count; 5 creates and 6 updates.
 */
export function createMixedOperation(operations: Operation[]): Operation {
  const byName = new Map(operations.map((operation) => [operation.name, operation.request]));
  const shares: [string, number][] = [['get', 20], ['listFirst', 8], ['listDeep', 4], ['filtered', 4], ['search', 2], ['count', 1], ['create', 5], ['update', 6]];
  const cycle: Request[] = [];
  for (let slot = 0; cycle.length < 50; slot++) {
    for (const [name, share] of shares) if (slot < share) cycle.push(byName.get(name)!);
  }
  let index = 0;
  const request: Request = {
    setupRequest: (raw, context) => {
      const next = cycle[index++ % cycle.length];
      const base = { ...raw, method: next.method, path: next.path, headers: { ...raw.headers, ...next.headers }, body: next.body };
      return next.setupRequest ? next.setupRequest(base, context) : base;
    },
  };
  return { name: 'mixed', label: 'mixed 78/22', isWrite: true, request };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
  peakRssMb?: number;
  /**
   * Paced runs: the load generator's own longest event-loop stall. Responses that arrive
   * during one are timed late, so a p99 near this figure may be the generator's, not the server's.
   */
  generatorStallMaxMs?: number;
  /** Paced runs: whether the generator ran at real-time priority (runPacedLoad). */
  generatorRealtime?: boolean;
  /**
   * Paced runs: the server's /metrics read by the generator just before its first request and
   * just after its last response, so the generator's own start-up (a real-time process on two
   * cores, which held both for tens of milliseconds) falls outside the server's longest pause.
   */
  serverBefore?: ServerMetrics;
  serverAfter?: ServerMetrics;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  overallRate?: number;
  /** The server process whose resident memory is sampled during the run. */
  serverPid?: number;
}

export async function runLoad(request: Request, options: LoadOptions): Promise<LoadResult> {
  let peakRssMb = 0;
  const sampler = options.serverPid === undefined ? undefined : setInterval(() => {
    peakRssMb = Math.max(peakRssMb, readMemory(options.serverPid!)?.rssMb ?? 0);
  }, 200);
  try {
    const result = await autocannon({
      url: options.url, connections: options.connections, duration: options.durationSeconds, timeout: 10,
      overallRate: options.overallRate, headers: options.headers, requests: [request],
    });
    return {
      requestsPerSecond: result['2xx'] / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      failed: result.non2xx + result.errors + result.timeouts,
      peakRssMb: sampler ? peakRssMb : undefined,
    };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}

let realtimeAllowed: boolean | undefined;

/**
 * Whether `chrt -f` may run the paced generator at real-time priority (root, or CAP_SYS_NICE).
 * On two cores shared with the server and PostgreSQL, a generator at normal priority waited
 * up to 15 ms for a core, and responses that arrived meanwhile were timed late; a client on
 * its own machine would not wait. It sleeps between requests, so it takes no core from them.
 */
function canRunRealtime(): boolean {
  realtimeAllowed ??= spawnSync('chrt', ['-f', '1', 'true']).status === 0;
  return realtimeAllowed;
}

/** Each paced run's uncounted warm-up at its own rate (paced-load.ts says why). */
export const pacedWarmUpSeconds = 1;

/**
 * Requests sent at an even pace, for BENCHMARKS.md's "p99 at 50 % of max throughput"
 * (bench/paced-load.ts says how), from a process of their own: in this one, whose heap holds
 * the generated data, a garbage collection stalled the generator 14-20 ms at a time, and every
 * response that arrived meanwhile was timed late. The requests are made here, up to 1,000
 * of them in their cycling order, and the child sends them round and round.
 */
export async function runPacedLoad(request: Request, options: LoadOptions & { rate: number }): Promise<LoadResult> {
  const base: RawRequest = { method: request.method ?? 'GET', path: request.path ?? '/', headers: { ...options.headers, ...request.headers }, body: request.body };
  const requests: PacedRequest[] = Array.from({ length: request.setupRequest ? 1000 : 1 }, () => {
    const built = request.setupRequest ? request.setupRequest({ ...base }, {}) as RawRequest : base;
    return { method: built.method ?? 'GET', path: built.path ?? '/', headers: (built.headers ?? {}) as Record<string, string>, body: typeof built.body === 'string' ? built.body : '' };
  });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-paced-'));
  const file = path.join(directory, 'spec.json');
  const spec: PacedSpec = { url: options.url, connections: options.connections, durationSeconds: options.durationSeconds, rate: options.rate, warmUpSeconds: pacedWarmUpSeconds, requests };
  fs.writeFileSync(file, JSON.stringify(spec));
  try {
    const realtime = canRunRealtime();
    const node = [process.execPath, '--import', 'tsx', 'bench/paced-load.ts', file];
    const [command, ...args] = realtime ? ['chrt', '-f', '1', ...node] : node;
    const { stdout } = await runCommand(command, args, { timeoutMs: (pacedWarmUpSeconds + options.durationSeconds + 60) * 1000 });
    return { ...JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult, generatorRealtime: realtime };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Walks the default list (sort by name) page by page, as a client scrolling far would, and
 * keeps cursors from the second half of the list. Bounded by pages and time.
 */
export async function walkDeepCursors(url: string, headers: Record<string, string>, contacts: number, limits = { pages: 2000, milliseconds: 60_000 }): Promise<string[]> {
  const pageSize = 200;
  const halfway = Math.floor(contacts / pageSize / 2);
  const cursors: string[] = [];
  const deadline = Date.now() + limits.milliseconds;
  let cursor: string | null = null;
  for (let page = 0; page < limits.pages && Date.now() < deadline; page++) {
    const response = await fetch(`${url}/api/v1/contacts?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    if (!response.ok) throw new Error(`walking the contact list failed at page ${page}: ${response.status} ${await response.text()}`);
    const body = await response.json() as { nextCursor: string | null };
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
    if (page >= halfway) cursors.push(cursor);
  }
  if (cursors.length === 0 && cursor) cursors.push(cursor);
  // Keep up to 64, spread over the depths reached.
  const step = Math.max(1, Math.floor(cursors.length / 64));
  return cursors.filter((_, index) => index % step === 0).slice(0, 64);
}
