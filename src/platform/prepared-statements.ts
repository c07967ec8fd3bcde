// Queries worth preparing: PostgreSQL parses and plans an unnamed statement on every run, and
// for a get by id that is nearly all of its cost — on the bench machine 0.8 ms of the 0.85 ms
// the database spends on it (pgbench: 2,400 q/s unprepared, 32,000 prepared). A query marked
// with `prepared()` is sent as a named statement on the tenant read pool's connections, parsed
// and planned once per connection; after five runs PostgreSQL keeps a generic plan when it is
// no worse than the custom ones.
//
// Only mark a query whose best plan does not depend on its parameters' values: a get by
// primary key, a keyset page walking its sort index. Never a search: a generic plan made a
// trigram search take 2 s at a million contacts. Statements are named by their SQL text, so
// the number of names is the number of query shapes, and bounded here in case a shape carries
// something unbounded.
import { CamelCasePlugin, sql, type Compilable, type CompiledQuery, type Kysely, type PluginTransformResultArgs, type QueryId, type QueryResult, type RawBuilder, type UnknownRow } from 'kysely';

const maxStatements = 200;
const statementNames = new Map<string, string>();

/** The query compiled, its SQL text registered to run as a named prepared statement. */
export function prepared<Row>(query: Compilable<Row>): CompiledQuery<Row> {
  const compiled = query.compile();
  if (!statementNames.has(compiled.sql) && statementNames.size < maxStatements) {
    statementNames.set(compiled.sql, `rapport_${statementNames.size + 1}`);
  }
  return compiled;
}

/**
 * A keyset page's limit: the page size and one more row, to tell whether another page follows.
 * A prepared page has it in its text: as a parameter, the generic plan guesses 10 % of the
 * tenant's rows and reads them with parallel workers.
 */
export function pageLimit(pageSize: number, isPrepared: boolean): number | RawBuilder<number> {
  const limit = pageSize + 1;
  if (!Number.isInteger(limit) || limit < 1) throw new Error('A page limit is a positive whole number');
  return isPrepared ? sql.lit(limit) : limit;
}

/** The query's rows, run as a named prepared statement when `isPrepared`. */
export async function rowsOf<Row>(db: Kysely<any>, query: Compilable<Row> & { execute(): Promise<Row[]> }, isPrepared: boolean): Promise<Row[]> {
  return isPrepared ? (await db.executeQuery(prepared(query))).rows : query.execute();
}

/** The statement name for this SQL text, if a query with it was marked `prepared()`. */
export function statementNameOf(sqlText: string): string | undefined {
  return statementNames.get(sqlText);
}

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed under it (a
 * migration added a column to a `select *`): the connection's copy is stale, not the query.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '0A000' && /cached plan must not change result type/.test(message ?? '');
}

/** Stands for a value in a query template; `preparedTemplate` fills it in on every run. */
export interface Slot {
  readonly slot: number;
}

/** The queries of prepared templates, whose rows need no renaming (RowsAsSelectedPlugin). */
const rowsAsSelected = new WeakSet<QueryId>();

/**
 * Kysely's CamelCasePlugin, except for the rows of prepared templates: their columns are
 * camelCase aliases already, and copying each row key by key to rename nothing cost ~3 % of a
 * list page's server CPU (51 rows). A template's row whose key still has an underscore, or a
 * column pg parses into an object (json, jsonb: send `::text`), would be renamed by the plugin,
 * so a template never selects one; should its first row hold such a key, the plugin renames
 * as usual.
 */
export class RowsAsSelectedPlugin extends CamelCasePlugin {
  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const first = args.result.rows[0];
    if (rowsAsSelected.has(args.queryId) && (first === undefined || Object.keys(first).every((key) => !key.includes('_')))) return args.result;
    return super.transformResult(args);
  }
}

/**
 * A prepared query whose shape is built and compiled once: `build` receives slots in place of
 * the values and its parameters are found by identity, so a run only copies the parameter
 * list. For the hottest reads, where building and compiling with Kysely on every request was a
 * fifth of the server's CPU. The shape must not depend on the values (give each shape its own
 * template). Its rows come back as PostgreSQL named their columns (RowsAsSelectedPlugin):
 * select camelCase aliases, and JSON as text.
 */
export function preparedTemplate<Values extends unknown[], Row>(build: (...slots: Slot[]) => Compilable<Row>, arity: Values['length']) {
  let template: { compiled: CompiledQuery<Row>; positions: (number | undefined)[] } | undefined;
  return (...values: Values): CompiledQuery<Row> => {
    if (!template) {
      const slots = Array.from({ length: arity }, (_, slot) => ({ slot }));
      const compiled = prepared(build(...slots));
      const positions = compiled.parameters.map((parameter) => slots.indexOf(parameter as Slot)).map((index) => (index < 0 ? undefined : index));
      if (new Set(positions.filter((position) => position !== undefined)).size !== arity) throw new Error('Every slot of a prepared template must be a parameter');
      rowsAsSelected.add(compiled.queryId);
      template = { compiled, positions };
    }
    const { compiled, positions } = template;
    // Written out, not `{ ...compiled, parameters }`: see platform/objects.ts.
    const parameters = compiled.parameters.map((parameter, index) => (positions[index] === undefined ? parameter : values[positions[index]!]));
    return { query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, parameters };
  };
}
