// Command-line options of `npm run bench`. Defaults give the published figures; --smoke
// gives a run that only proves everything works (CI: `npm run bench -- --tier XS --smoke`).
import { parseArgs } from 'node:util';
import { isTierName, tiers, type Tier } from './tiers.js';

export interface BenchOptions {
  tier: Tier;
  smoke: boolean;
  durationSeconds: number;
  connections: number;
  seed: number;
  adminUrl: string;
  profile: boolean;
  embedded: boolean;
  jobs: boolean;
}

export const usage = `npm run bench -- [options]

  --tier XS|S|M        data tier (default S; see docs/benchmarks.md)
  --smoke              short run that only checks everything works (2 s per operation)
  --duration <s>       seconds per operation (default 10; 2 with --smoke)
  --connections <n>    concurrent connections for HTTP and pgbench (default 16)
  --seed <n>           data generator seed (default 1)
  --tenants <n>        keep only the tier's n largest tenants (--tier M --tenants 1: the
                       1M-contact tenant alone, for the million-row figures in minutes)
  --profile            also profile the API server (node --cpu-prof) under get and list load
  --embedded           also measure the embedded shape (PGlite); always on for tier XS
  --no-jobs            skip the CSV import and duplicate scan jobs (minutes at 1M rows)
  --help               this text

  BENCH_DATABASE_URL   admin connection (default postgres://postgres@127.0.0.1:5432/postgres);
                       the run drops and creates rapport_bench_<tier> on that server.`;

function readPositiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number above 0, got "${raw}"`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      tier: { type: 'string', default: 'S' },
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string' },
      seed: { type: 'string' },
      tenants: { type: 'string' },
      profile: { type: 'boolean', default: false },
      embedded: { type: 'boolean', default: false },
      'no-jobs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const tierName = values.tier.toUpperCase();
  if (!isTierName(tierName)) throw new Error(`--tier takes XS, S or M, got "${values.tier}"`);
  const tier = tiers[tierName];
  const tenants = Math.min(tier.tenants, readPositiveInteger('tenants', values.tenants, tier.tenants));
  return {
    tier: { ...tier, tenants },
    smoke: values.smoke,
    durationSeconds: readPositiveInteger('duration', values.duration, values.smoke ? 2 : 10),
    connections: readPositiveInteger('connections', values.connections, 16),
    seed: readPositiveInteger('seed', values.seed, 1),
    adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    profile: values.profile,
    embedded: values.embedded || tierName === 'XS',
    jobs: !values['no-jobs'],
  };
}
