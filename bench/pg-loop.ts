// The bare `pg` loop ceiling (BENCHMARKS.md): the endpoint's captured queries sent by node-pg,
// as the app sends them (named when the app prepares them, same parameters), from N clients
// at once for a fixed time, with nothing around them: no HTTP, no framework, no services.
// It runs in its own process, as the load generator does, and prints one JSON line.
// Usage: node --import tsx bench/pg-loop.ts <calls.json> <databaseUrl> <tenantId> <clients> <seconds>
import fs from 'node:fs';
import pg from 'pg';
import { pgTypes } from '../src/platform/timestamps.js';
import { percentile } from './percentile.js';
import type { Statement } from './statements.js';

export interface PgLoopResult {
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** JSON cannot carry a Buffer; the bench writes them as `{ type: 'Buffer', data }` and they come back here. */
const revive = (_key: string, value: unknown) =>
  value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)
    ? Buffer.from((value as { data: number[] }).data) : value;

async function main([file, databaseUrl, tenantId, clientsText, secondsText]: string[]) {
  const calls = JSON.parse(fs.readFileSync(file, 'utf8'), revive) as Statement[][];
  const clients = Number(clientsText);
  const deadline = performance.now() + Number(secondsText) * 1000;
  const latencies: number[] = [];
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    // The app's type parsers too (platform/timestamps.ts): the loop is the driver as the app sets it up.
    const client = new pg.Client({ connectionString: databaseUrl, types: pgTypes, options: `-c role=rapport_app -c app.tenant_id=${tenantId} -c default_transaction_read_only=on` });
    await client.connect();
    // Planned as the app's read connections plan them (tenant-read-pool.ts): named statements
    // with generic plans, any other query with parameters for its values. Left to `auto`, the
    // get's `id = any($ids)` was planned for every call: a quarter of the loop's gets per second.
    let plansGenerically = false;
    try {
      while (performance.now() < deadline) {
        const call = calls[next++ % calls.length];
        const callStartedAt = performance.now();
        for (const statement of call) {
          const generic = statement.name !== undefined;
          if (generic !== plansGenerically && (generic || statement.values.length > 0)) {
            await client.query(`set plan_cache_mode = ${generic ? 'force_generic_plan' : 'auto'}`);
            plansGenerically = generic;
          }
          await client.query(statement.name ? { name: statement.name, text: statement.text, values: statement.values } : { text: statement.text, values: statement.values });
        }
        latencies.push(performance.now() - callStartedAt);
      }
    } finally {
      await client.end();
    }
  }));
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const result: PgLoopResult = { callsPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  console.log(JSON.stringify(result));
}

await main(process.argv.slice(2));
