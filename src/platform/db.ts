// Database access for every shape: a PostgreSQL server through `pg`, or embedded PGlite
// through its node-postgres adapter — one Kysely dialect, one set of migrations.
// Tenant data is only reachable inside forTenant(), which runs the transaction as the
// `rapport_app` role (no superuser, no BYPASSRLS) with `app.tenant_id` set, so row-level
// security holds even when a query forgets its tenant filter.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DummyDriver, Kysely, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, SingleConnectionProvider, sql, type DatabaseConnection } from 'kysely';
import pg from 'pg';
import type { DB } from '../db/schema.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { merged } from './objects.js';
import { RowsAsSelectedPlugin } from './prepared-statements.js';
import { createTenantReadPool, type TenantReadPool } from './tenant-read-pool.js';
import { pgTypes } from './timestamps.js';
import { uuidPattern } from './uuid.js';

export const appRole = 'rapport_app';

/** A connection inside a transaction that forTenant or forAuthLookup opened. */
export type Trx = Kysely<DB>;

/** Every Database's Kysely compiles with these plugins, so a query compiled anywhere runs on any of them. */
const plugins = [new RowsAsSelectedPlugin()];

/** Builds and compiles queries without a connection (prepared templates), exactly as a Database's Kysely does. */
export const queryBuilder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  plugins,
});

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly kysely: Kysely<DB>;
  readonly pool: pg.Pool;
  /** Every pool the database opened: `pool`, and the tenant read pool on a PostgreSQL server. */
  readonly pools: pg.Pool[];
  forTenant<T>(tenantId: string, work: (trx: Trx) => Promise<T>): Promise<T>;
  /**
   * Like forTenant, for work that only reads and refuses writes. On a PostgreSQL server it runs
   * on read-only connections that keep their tenant and need no transaction
   * (tenant-read-pool.ts); on PGlite it is a read-only transaction whose COMMIT the answer
   * does not wait for (nothing was written, so there is nothing to acknowledge).
   */
  readTenant<T>(tenantId: string, work: (trx: Trx) => Promise<T>): Promise<T>;
  /** Cross-tenant reads for sign-in only (user by email, session or key by hash). */
  forAuthLookup<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  /** Seconds an unused connection stays open (default 300); 0 keeps it until close(). */
  poolIdleSeconds?: number;
  /** An already open PGlite (tests load one from a migrated template). */
  pglite?: PGlite;
}

// int8 (counts, sequence numbers) stays a string in rows; numeric too. Timestamps become Dates.
export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({ dataDir, loadDataDir, extensions: { pg_trgm } });
}

const defaultPoolIdleSeconds = 300;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  let lock: DataDirLock | undefined;
  let pglite: PGlite | undefined;
  let pool: pg.Pool;
  // pg-pool closes a connection after 10 s unused by default. Under a load that rises and falls
  // by the second that churns connections, and every new one costs a cold backend (its catalog
  // caches empty, its statements unprepared, its session set up again): tens of milliseconds
  // for the requests that wait on it. A server keeps its few connections far longer.
  const idleTimeoutMillis = (options.poolIdleSeconds ?? defaultPoolIdleSeconds) * 1000;
  if (options.databaseUrl) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, idleTimeoutMillis, types: pgTypes });
  } else {
    if (options.pglite) {
      pglite = options.pglite;
    } else {
      if (!options.dataDir) throw new Error('createDatabase needs databaseUrl, dataDir or pglite');
      lock = lockDataDir(options.dataDir);
      try {
        pglite = await openPglite(options.dataDir);
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    pool = new pg.Pool(merged(createPgConfig(pglite), { idleTimeoutMillis }));
  }
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  const dialect = new PostgresDialect({ pool });
  const kysely = new Kysely<DB>({ dialect, plugins });
  const driver = dialect.createDriver();
  const config = { dialect };
  /**
   * The Kysely a transaction's work runs on: a new one per transaction, because per-transaction
   * state is keyed by it (encryption.service.ts keeps the keys a transaction made but has not
   * committed). Built here rather than by `kysely.connection().execute()`, whose
   * `{ ...props, executor }` gave each one a hidden class of its own on Node 20 (platform/objects.ts).
   */
  const transactionDatabase = (connection: DatabaseConnection) =>
    new Kysely<DB>({ config, dialect, driver, executor: kysely.getExecutor().withConnectionProvider(new SingleConnectionProvider(connection)) });
  // PGlite is one session shared by every pool over it, so session settings would leak there:
  // embedded reads stay in forTenant-style transactions.
  const readPool: TenantReadPool | undefined = options.databaseUrl
    ? createTenantReadPool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, idleTimeoutMillis, appRole, plugins })
    : undefined;

  // A request's transaction costs round trips, and they dominate a simple read: BEGIN and the
  // settings travel as one message, and a read-only transaction's COMMIT is not waited for —
  // node-postgres sends a connection's queries in order, so its next user queues behind it.
  async function runAs<T>(settings: { tenantId?: string; authLookup?: boolean; readOnly?: boolean }, work: (trx: Trx) => Promise<T>) {
    const tenantId = settings.tenantId ?? '';
    if (tenantId && !uuidPattern.test(tenantId)) throw new Error('A tenant id is a uuid');
    const begin = `begin${settings.readOnly ? ' read only' : ''}; select set_config('role', '${appRole}', true), ` +
      `set_config('app.tenant_id', '${tenantId}', true), set_config('app.auth_lookup', '${settings.authLookup ? 'on' : ''}', true)`;
    return kysely.getExecutor().provideConnection(async (raw) => {
      const connection = transactionDatabase(raw);
      await sql.raw(begin).execute(connection);
      let result: T;
      try {
        result = await work(connection);
      } catch (error) {
        await sql.raw('rollback').execute(connection).catch(() => undefined);
        throw error;
      }
      const commit = sql.raw('commit').execute(connection);
      if (settings.readOnly) commit.catch(() => undefined);
      else await commit;
      return result;
    });
  }

  return {
    kind: options.databaseUrl ? 'postgres' : 'pglite',
    kysely,
    pool,
    pools: readPool ? [pool, readPool.pool] : [pool],
    forTenant: (tenantId, work) => runAs({ tenantId }, work),
    readTenant: (tenantId, work) => (readPool ? readPool.read(tenantId, work) : runAs({ tenantId, readOnly: true }, work)),
    forAuthLookup: (work) => runAs({ authLookup: true }, work),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await readPool?.close();
      await kysely.destroy();
      if (pglite && !options.pglite) await pglite.close();
      lock?.release();
    },
  };
}
