// Prometheus metrics: request durations by route and status, the database pool, the process.
import client from 'prom-client';
import type { PoolStats } from './db.js';

export interface Metrics {
  registry: client.Registry;
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** How many gets of `entity` one batched query served (platform/read-batches.ts). */
  observeReadBatch(entity: string, size: number): void;
}

export function createMetrics(poolStats: () => PoolStats): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requestDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  /** Children by method, status and route: routes are the app's patterns, so the map stays small. */
  const requestDurationOf = new Map<string, client.Histogram.Internal<string>>();
  const readBatchSize = new client.Histogram({
    name: 'rapport_read_batch_size',
    help: 'Gets by id served by one query, by entity: gets arriving together share a query',
    labelNames: ['entity'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 100],
    registers: [registry],
  });
  new client.Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  return {
    registry,
    observeRequest(method, route, statusCode, seconds) {
      // The labelled child, looked up by one string: prom-client hashes a labels object on every observe.
      const key = `${method} ${statusCode} ${route}`;
      let child = requestDurationOf.get(key);
      if (!child) {
        child = requestDuration.labels(method, route, String(statusCode));
        requestDurationOf.set(key, child);
      }
      child.observe(seconds);
    },
    observeReadBatch(entity, size) {
      readBatchSize.observe({ entity }, size);
    },
  };
}
