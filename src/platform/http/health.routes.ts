// Liveness (the process answers), readiness (database reachable and schema current) and
// Prometheus metrics. Load balancers and Kubernetes probe these.
import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db.js';
import type { Metrics } from '../metrics.js';
import { isSchemaCurrent } from '../migrations.js';
import type { App } from './server.js';

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  migrations: Type.Union([Type.Literal('current'), Type.Literal('pending'), Type.Literal('unknown')]),
  load: Type.Optional(Type.Literal('overloaded')),
});

// Load shedding must not turn a busy process into a dead one: liveness always answers (a
// probe that failed under load would get the process restarted), and readiness answers in
// its own shape, so a load balancer takes the process out of rotation until it recovers.
const answerLiveness = () => undefined;
const answerOverloadedReadiness = (_request: FastifyRequest, reply: FastifyReply) => {
  reply.code(503).send({ status: 'not_ready', database: 'ok', migrations: 'unknown', load: 'overloaded' });
};

export function healthRoutes(app: App, { database, metrics }: { database: Database; metrics: Metrics }) {
  const tags = ['health'];
  app.get('/health/live', {
    config: { auth: 'public', pressureHandler: answerLiveness },
    schema: { tags, response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/health/ready', {
    config: { auth: 'public', pressureHandler: answerOverloadedReadiness },
    schema: { tags, response: { 200: Readiness, 503: Readiness } },
  }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(database.kysely);
    } catch {
      return reply.code(503).send({ status: 'not_ready', database: 'unreachable', migrations: 'unknown' });
    }
    const current = await isSchemaCurrent(database).catch(() => false);
    return reply.code(current ? 200 : 503).send({
      status: current ? 'ready' : 'not_ready',
      database: 'ok',
      migrations: current ? 'current' : 'pending',
    });
  });

  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
