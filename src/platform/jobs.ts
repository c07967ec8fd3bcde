// Background jobs on pg-boss: the same PostgreSQL (or PGlite) that holds the data holds the
// queue, so a job and the write that asked for it share one durable store. API processes
// only send; `--role worker` (or the embedded `all`) also works the queues and the schedules.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from './db.js';

export interface JobDefinition<Data extends object = object> {
  name: string;
  /** Cron expression (UTC) for jobs that run on a schedule. */
  cron?: string;
  /** Retries after a failure, with exponential backoff from delaySeconds (pg-boss's default: 2, at once). */
  retry?: { limit: number; delaySeconds: number };
  run(data: Data): Promise<void>;
}

export interface JobRunner {
  define<Data extends object>(definition: JobDefinition<Data>): void;
  start(options: { work: boolean }): Promise<void>;
  send(name: string, data?: object): Promise<string | null>;
  stop(): Promise<void>;
}

export function createJobRunner({ database, logger }: { database: Database; logger: Logger }): JobRunner {
  const definitions = new Map<string, JobDefinition>();
  let boss: PgBoss | undefined;

  return {
    define(definition) {
      definitions.set(definition.name, definition as unknown as JobDefinition);
    },

    async start({ work }) {
      boss = new PgBoss({
        db: { executeSql: (text, values) => database.pool.query(text, values) },
        schedule: work,
        supervise: work,
      });
      boss.on('error', (error) => logger.error({ err: error }, 'job runner error'));
      await boss.start();
      for (const definition of definitions.values()) {
        await boss.createQueue(definition.name);
        if (!work) continue;
        await boss.work(definition.name, { pollingIntervalSeconds: 1 }, async (jobs) => {
          for (const job of jobs) await definition.run(job.data as object);
        });
        if (definition.cron) await boss.schedule(definition.name, definition.cron);
      }
    },

    async send(name, data = {}) {
      if (!boss) throw new Error('The job runner has not started');
      const definition = definitions.get(name);
      if (!definition) throw new Error(`Unknown job ${name}`);
      const retry = definition.retry;
      return boss.send(name, data, retry ? { retryLimit: retry.limit, retryDelay: retry.delaySeconds, retryBackoff: true } : {});
    },

    async stop() {
      await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
      boss = undefined;
    },
  };
}
