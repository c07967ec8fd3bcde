// The exact SQL each measured endpoint runs, captured by calling the real contact service
// against the benchmark database with a pool whose connections record every query. The
// captured statements become pgbench scripts for the raw SQL ceilings, so the ceiling
// follows the code: change a repository query and the ceiling changes with it.
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/platform/actor.js';
import { createDatabase } from '../src/platform/db.js';
import type { OperationPlan } from './operations.js';
import { benchMasterKey } from './processes.js';

export interface Statement {
  text: string;
  values: unknown[];
  /** Set when the app sends it as a named prepared statement (platform/prepared-statements.ts). */
  name?: string;
}

/** One service call: BEGIN, set_config, the queries, COMMIT. */
export type Call = Statement[];

/** How many different ids, cursors or terms each pgbench ceiling cycles through (pgbench takes up to 128 scripts). */
const variantsPerOperation = 32;

export interface CapturedCalls {
  calls: Record<string, Call[]>;
  /** The id and email of the contact the captured create made; pgbench replaces them per run. */
  created: { id: string; email: string };
}

const isNamedQuery = (value: unknown): value is { name: string; text: string; values?: unknown[] } =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' && typeof (value as { text?: unknown }).text === 'string';

/** What share of an endpoint's captured queries the app sent as prepared statements. */
export function preparedShare(calls: Call[]): number {
  const queries = calls.flatMap(endpointQueries);
  return queries.length === 0 ? 0 : queries.filter((statement) => statement.name).length / queries.length;
}

/**
 * pgbench's protocol for an endpoint (one for the whole run), from its preparedShare:
 * `prepared` when the app sends most of its queries as prepared statements; `extended` otherwise.
 */
export function protocolOf(share: number): 'prepared' | 'extended' {
  return share >= 0.5 ? 'prepared' : 'extended';
}

export async function captureCalls(databaseUrl: string, plan: OperationPlan): Promise<CapturedCalls> {
  const database = await createDatabase({ databaseUrl, poolSize: 1 });
  let recording: Statement[] = [];
  // Reads and writes use different pools on a PostgreSQL server (platform/tenant-read-pool.ts).
  for (const pool of database.pools) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') recording.push({ text: args[0], values: Array.isArray(args[1]) ? [...args[1]] : [] });
        else if (isNamedQuery(args[0])) recording.push({ text: args[0].text, values: [...(args[0].values ?? [])], name: args[0].name });
        return query(...args);
      };
    });
  }
  // The services exactly as app.ts wires them (authorization included), over the recording pool.
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', RAPPORT_DEMO_SEED: 'false', RAPPORT_MASTER_KEY: benchMasterKey });
  const rapport = await buildApp(config, { database, logger: pino({ level: 'warn' }) });
  const { contacts } = rapport.services;
  const actor: Actor = { tenantId: plan.tenantId, userId: plan.ownerId, name: 'Benchmark', type: 'api_key', role: 'owner' };
  const calls: Record<string, Call[]> = {};
  async function record(operation: string, count: number, work: (index: number) => Promise<unknown>, { warm = true } = {}) {
    calls[operation] = [];
    // Once unrecorded first, so the calls hold what a request under load runs, not the
    // first request's cache fills (role grants, custom field definitions, keys).
    if (warm) {
      recording = [];
      await work(0);
    }
    for (let index = 0; index < count; index++) {
      recording = [];
      await work(index);
      calls[operation].push(recording);
    }
  }
  const variants = <T>(items: T[]) => Math.min(variantsPerOperation, items.length);
  const newContact = plan.newContact(0);
  let createdId = '';
  try {
    await record('get', variants(plan.contactIds), (index) => contacts.get(actor, plan.contactIds[index]));
    await record('listFirst', 1, () => contacts.list(actor, { limit: 50 }));
    await record('listDeep', variants(plan.deepCursors), (index) => contacts.list(actor, { limit: 50, cursor: plan.deepCursors[index] }));
    await record('filtered', variants(plan.companyIds), (index) => contacts.list(actor, { limit: 50, 'filter[companyId]': plan.companyIds[index] }));
    await record('search', variants(plan.searchTerms), (index) => contacts.list(actor, { limit: 50, q: plan.searchTerms[index] }));
    await record('count', 1, () => contacts.count(actor, {}));
    await record('create', 1, async () => { createdId = (await contacts.create(actor, newContact)).id; }, { warm: false });
    await record('update', variants(plan.contactIds), (index) => contacts.update(actor, plan.contactIds[index], { title: `Captured ${index}` }));
  } finally {
    await rapport.close();
    await database.close();
  }
  return { calls, created: { id: createdId, email: newContact.email ?? '' } };
}

const isEnvelope = (statement: Statement) => /^\s*(begin|commit|rollback)\s*$/i.test(statement.text) || statement.text.includes('set_config(');
/** A read connection's one-time session setup (tenant-read-pool.ts): not per request, and pgbench runs as the app role already. */
const isSessionSetUp = (statement: Statement) => /^\s*set role /i.test(statement.text);

/** A call's own queries: what the endpoint asks, without the transaction and session set-up around it. */
export const endpointQueries = (call: Call): Call => call.filter((statement) => !isEnvelope(statement) && !isSessionSetUp(statement));

/** A JS array as node-pg sends it: a PostgreSQL array literal, `{"a","b"}`. */
function toArrayLiteral(values: unknown[]): string {
  const element = (value: unknown) => (value === null || value === undefined ? 'NULL'
    : `"${(Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : value instanceof Date ? value.toISOString() : String(value)).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return `{${values.map(element).join(',')}}`;
}

/** A SQL literal pgbench passes through untouched: colons would read as pgbench variables, so they are escaped. */
function toLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString()
    : Buffer.isBuffer(value) ? `\\x${value.toString('hex')}`
      : Array.isArray(value) ? toArrayLiteral(value)
        : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\x3a')}'`;
}

/**
 * The statement's text with its own string literals safe from pgbench: pgbench reads `:name`
 * anywhere in a command as a variable, the `:MI` of a to_char format included (a list page's
 * JSON timestamps, platform/json-text.ts), so a literal holding a colon becomes an E'' string
 * with the colon escaped. The app's SQL has no E'' or dollar-quoted strings of its own.
 */
export function pgbenchSafeText(text: string): string {
  return text.replace(/'(?:[^']|'')*'/g, (literal) => (literal.includes(':')
    ? `E${literal.replace(/\\/g, '\\\\').replace(/:/g, '\\x3a')}` : literal));
}

/**
 * A pgbench script for one call. `query` keeps only the endpoint's own queries; `transaction`
 * adds what the app wraps around them per request (BEGIN, set_config, COMMIT).
 * `replacements` turns values that must differ per run (a new contact's id and email) into
 * pgbench expressions.
 */
export function toPgbenchScript(call: Call, mode: 'query' | 'transaction', replacements: Map<unknown, string> = new Map()): string {
  const lines = replacements.size > 0 ? ['\\set n random(1, 9000000000000000000)'] : [];
  for (const statement of call) {
    if (isSessionSetUp(statement) || (mode === 'query' && isEnvelope(statement))) continue;
    const text = pgbenchSafeText(statement.text.replace(/\s+/g, ' ').trim()).replace(/\$(\d+)/g, (_match, position: string) => {
      const value = statement.values[Number(position) - 1];
      return replacements.get(value) ?? toLiteral(value);
    });
    lines.push(`${text};`);
  }
  return lines.join('\n') + '\n';
}

/** pgbench expressions for a created contact's id and email: unique per transaction. */
export function createReplacements(created: { id: string; email: string }): Map<unknown, string> {
  return new Map<unknown, string>([
    [created.id, "lpad(to_hex(:n::bigint), 32, '0')::uuid"],
    [created.email, "('pgbench-' || :n::text || '@example.org')"],
  ]);
}
