// GET /api/v1/audit: a record's history (for whoever may read the record), and the whole
// workspace's log (administrators), filterable, and exportable as CSV.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { Type, type Static } from '@sinclair/typebox';
import type { Actor } from './actor.js';
import { assertAdministrator, isAdministrator } from './authorization/admin.js';
import type { Authorization, Permissions } from './authorization/authorization.js';
import { listChanges, type ChangeFilters, type ChangeRow } from './change-log.js';
import type { Database } from './db.js';
import { NotFoundError } from './errors.js';
import { commonErrors, maxPageSize } from './http/schemas.js';
import type { App } from './http/server.js';
import { toCsvLine } from './csv.js';
import { merged } from './objects.js';

const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$', description: 'company, contact, user, api_key, role, team, tenant' })),
  id: Type.Optional(Type.String({ format: 'uuid', description: 'With entity: that record\'s history' })),
  actorId: Type.Optional(Type.String({ format: 'uuid' })),
  operation: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive: changes strictly before this time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: 50 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
}, { additionalProperties: false });
type AuditQuery = Static<typeof AuditQuery>;

const AuditItem = Type.Object({
  seq: Type.Integer(),
  entity: Type.String(),
  entityId: Type.String({ format: 'uuid' }),
  operation: Type.String(),
  actor: Type.Union([Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  actorType: Type.Optional(Type.String()),
  ip: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  at: Type.String({ format: 'date-time' }),
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
});

const filtersOf = (query: AuditQuery): ChangeFilters => ({
  entity: query.entity, entityId: query.id, actorId: query.actorId, operation: query.operation,
  from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined,
});

function maskChanges(permissions: Permissions, item: ChangeRow): ChangeRow {
  const hidden = permissions.hiddenFields(item.entity);
  if (hidden.length === 0) return item;
  const changes = Object.fromEntries(Object.entries(item.changes).filter(([field]) => !hidden.includes(field)));
  // A rule on `customFields.salary` hides that key inside the logged customFields values too.
  for (const field of hidden.filter((name) => name.includes('.'))) {
    const [parent, child] = [field.slice(0, field.indexOf('.')), field.slice(field.indexOf('.') + 1)];
    const change = changes[parent];
    if (!change) continue;
    const without = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return value;
      const { [child]: _hidden, ...rest } = value as Record<string, unknown>;
      return rest;
    };
    changes[parent] = { before: without(change.before), after: without(change.after) };
  }
  return merged(item, { changes });
}

export function auditRoutes(app: App, { database, authorization }: { database: Database; authorization: Authorization }) {
  /** Who may read which part of the log: a record's history needs read access to the record. */
  async function authorize(actor: Actor, query: AuditQuery): Promise<Permissions> {
    const permissions = await authorization.of(actor);
    const declared = authorization.objects().find((object) => object.name === query.entity);
    if (!query.entity || !query.id || !declared) {
      assertAdministrator(actor);
      return permissions;
    }
    permissions.assertCan('read', declared.name);
    const owner = await database.forTenant(actor.tenantId, async (trx) => (await sql<{ ownerId: string | null }>`
      select owner_id from ${sql.table(declared.table)} where id = ${query.id}`.execute(trx)).rows[0]);
    // A deleted record's owner is gone with it: its history is for those who may read every record.
    const visible = owner ? permissions.covers('read', declared.name, owner.ownerId) : permissions.scope('read', declared.name) === 'all' || isAdministrator(actor);
    if (!visible) throw new NotFoundError(declared.name, query.id);
    return permissions;
  }

  app.get('/audit', {
    schema: {
      tags: ['audit'],
      summary: "The change log: a record's history (entity and id), or the workspace's (administrators), newest first",
      querystring: AuditQuery,
      response: { 200: Type.Object({ items: Type.Array(AuditItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...commonErrors },
    },
  }, async (request) => {
    const query: AuditQuery = request.query;
    const permissions = await authorize(request.actor, query);
    const page = await database.readTenant(request.actor.tenantId, (trx) =>
      listChanges(trx, filtersOf(query), query.limit ?? 50, query.cursor ? Number(query.cursor) : undefined));
    return { items: page.items.map((item) => merged(maskChanges(permissions, item), { at: item.at.toISOString() })), nextCursor: page.nextCursor };
  });

  app.get('/audit/export', {
    schema: {
      tags: ['audit'],
      summary: 'The filtered change log as CSV, streamed (administrators)',
      querystring: Type.Omit(AuditQuery, ['limit', 'cursor']),
      produces: ['text/csv'],
    },
  }, async (request, reply) => {
    assertAdministrator(request.actor);
    const filters = filtersOf(request.query as AuditQuery);
    const tenantId = request.actor.tenantId;
    async function* lines() {
      yield toCsvLine(['seq', 'at', 'actor_id', 'actor_name', 'actor_type', 'ip', 'entity', 'entity_id', 'operation', 'changes']);
      let cursor: number | undefined;
      do {
        const page = await database.readTenant(tenantId, (trx) => listChanges(trx, filters, 1000, cursor));
        for (const item of page.items) {
          yield toCsvLine([item.seq, item.at.toISOString(), item.actor?.id ?? '', item.actor?.name ?? '', item.actorType, item.ip ?? '',
            item.entity, item.entityId, item.operation, JSON.stringify(item.changes)]);
        }
        cursor = page.nextCursor ? Number(page.nextCursor) : undefined;
      } while (cursor !== undefined);
    }
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"');
    return reply.send(Readable.from(lines()));
  });
}
