// Reads without a transaction around them, for the PostgreSQL server shape. A read in
// forTenant costs three round trips — BEGIN with the settings, the query, COMMIT — and on a
// simple get the round trips, not the query, are what the server and PostgreSQL spend their
// time on. Connections in this pool are the app role for their whole session, refuse writes
// (default_transaction_read_only), and keep the tenant of their last read: a read for the same
// tenant is the query alone, a read for another tenant sets app.tenant_id first.
//
// Row-level security holds as in forTenant: the session role cannot bypass it and
// app.tenant_id is set before any of the tenant's queries run on the connection. The price:
// the statements of one read do not share a snapshot, which no read path needs.
import { CompiledQuery, Kysely, PostgresDialect, type DatabaseConnection, type KyselyPlugin, type QueryResult } from 'kysely';
import pg from 'pg';
import type { DB } from '../db/schema.js';
import { isStalePreparedStatement, statementNameOf } from './prepared-statements.js';
import { pgTypes } from './timestamps.js';
import { uuidPattern } from './uuid.js';

const tenantOfConnection = new WeakMap<pg.PoolClient, string>();
/** Connections holding a prepared statement PostgreSQL no longer accepts: closed on release. */
const holdsStaleStatement = new WeakSet<pg.PoolClient>();
/** Connections whose session is set to `plan_cache_mode = force_generic_plan`. */
const plansGenerically = new WeakSet<pg.PoolClient>();

/**
 * Prepared statements (prepared-statements.ts) run with generic plans, planned once: left to
 * `auto`, PostgreSQL re-plans a keyset page on every call, because its generic estimate (an
 * average tenant) costs more than the custom plans, and planning was half of the page's
 * database time. Any other query with parameters runs with `auto`, custom plans for its
 * values: a generic plan made a trigram search take 2 s at 1M contacts. The mode is a session
 * setting, switched only when the next query needs the other one.
 */
async function usePlanMode(client: pg.PoolClient, generic: boolean): Promise<void> {
  if (plansGenerically.has(client) === generic) return;
  await client.query(`set plan_cache_mode = ${generic ? 'force_generic_plan' : 'auto'}`);
  if (generic) plansGenerically.add(client);
  else plansGenerically.delete(client);
}

async function runUnprepared(client: pg.PoolClient, text: string, values: unknown[]) {
  if (values.length > 0) await usePlanMode(client, false);
  return (await client.query(text, values)).rows ?? [];
}

function connectionOf(client: pg.PoolClient): DatabaseConnection {
  return {
    async executeQuery<Row>(query: CompiledQuery): Promise<QueryResult<Row>> {
      const values = [...query.parameters];
      const name = holdsStaleStatement.has(client) ? undefined : statementNameOf(query.sql);
      if (!name) return { rows: await runUnprepared(client, query.sql, values) };
      await usePlanMode(client, true);
      try {
        return { rows: (await client.query({ name, text: query.sql, values })).rows ?? [] };
      } catch (error) {
        if (!isStalePreparedStatement(error)) throw error;
        // A migration changed a table under the statement: answer unprepared, and let a new
        // connection prepare it afresh.
        holdsStaleStatement.add(client);
        return { rows: await runUnprepared(client, query.sql, values) };
      }
    },
    // eslint-disable-next-line require-yield -- no read path streams; the interface asks for it.
    async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
      throw new Error('Streaming is not available on tenant reads');
    },
  };
}

export interface TenantReadPool {
  readonly pool: pg.Pool;
  read<T>(tenantId: string, work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createTenantReadPool(options: { connectionString: string; max: number; idleTimeoutMillis: number; appRole: string; plugins: KyselyPlugin[] }): TenantReadPool {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max, idleTimeoutMillis: options.idleTimeoutMillis, types: pgTypes });
  pool.on('error', () => undefined);
  const sessionSetUp = new WeakSet<pg.PoolClient>();
  const dialect = new PostgresDialect({ pool });
  const base = new Kysely<DB>({ dialect, plugins: options.plugins });
  const driver = dialect.createDriver();

  /**
   * One Kysely per connection, made at its first read: a connection serves one read at a time.
   * Made per read, as before, each cost a hidden class of its own (Kysely copies and freezes its
   * settings object, and on Node 20 that copy took a new class every time), allocated in the old
   * generation, which kept young objects alive through scavenges (docs/benchmarks.md).
   */
  const databases = new WeakMap<pg.PoolClient, Kysely<DB>>();
  function databaseOf(client: pg.PoolClient): Kysely<DB> {
    let database = databases.get(client);
    if (!database) {
      const connection = connectionOf(client);
      const executor = base.getExecutor().withConnectionProvider({ provideConnection: (consume) => consume(connection) });
      database = new Kysely<DB>({ config: { dialect }, dialect, driver, executor });
      databases.set(client, database);
    }
    return database;
  }

  return {
    pool,
    async read(tenantId, work) {
      if (!uuidPattern.test(tenantId)) throw new Error('A tenant id is a uuid');
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        if (tenantOfConnection.get(client) !== tenantId) {
          // One message; if any part fails the connection is dropped, never used half set up.
          const setUp = sessionSetUp.has(client) ? '' : `set role ${options.appRole}; set default_transaction_read_only = on; `;
          try {
            await client.query(`${setUp}select set_config('app.tenant_id', '${tenantId}', false)`);
          } catch (error) {
            failed = error as Error;
            throw error;
          }
          sessionSetUp.add(client);
          tenantOfConnection.set(client, tenantId);
        }
        return await work(databaseOf(client));
      } catch (error) {
        // A connection whose state is unknown (a broken socket, a cancelled query) is not reused.
        if (!failed && !(error as { code?: string }).code) failed = error as Error;
        throw error;
      } finally {
        client.release(failed ?? (holdsStaleStatement.has(client) ? new Error('Closing a connection with a stale prepared statement') : undefined));
      }
    },
    // The pool itself: Kysely ends a pool only if it opened connections through it, and reads
    // take theirs from the pool directly, so destroying `base` left them open until they idled out.
    async close() {
      if (!pool.ending) await pool.end();
    },
  };
}
