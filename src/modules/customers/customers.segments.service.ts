// Segments: saved filters over contacts or companies, visible to the whole workspace. The
// filter is checked when saved and evaluated in SQL under each reader's own permission scope,
// so two users of one segment may see different records. Editing is for its creator or admins.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { isAdministrator } from '../../platform/authorization/admin.js';
import { PermissionDeniedError, type Authorization, type Permissions } from '../../platform/authorization/authorization.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import { customFieldsRepository } from './customers.custom-fields.repository.js';
import { compileFilter } from './customers.segments.conditions.js';
import { compileContext } from './customers.segments.lists.js';
import { segmentsRepository as repository, type SegmentRow } from './customers.segments.repository.js';
import type { CreateSegment, Segment, UpdateSegment } from './customers.segments.schemas.js';

const toSegment = (row: SegmentRow): Segment => ({
  id: row.id, object: row.object, name: row.name, filter: row.filter as Segment['filter'], ownerId: row.ownerId,
  createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
});

/** Checks a filter for `object` (a 400 naming its path), as the actor would run it. */
export async function checkFilter(trx: Trx, permissions: Permissions, object: string, filter: unknown): Promise<void> {
  const definitions = await customFieldsRepository.list(trx, permissions.actor.tenantId);
  compileFilter(compileContext(permissions, object, definitions, object === 'contact' ? 'c' : 'company'), filter);
}

export function createSegmentService({ database, authorization }: { database: Database; authorization: Authorization }) {
  async function getRow(trx: Trx, permissions: Permissions, id: string, forUpdate = false) {
    const row = await repository.find(trx, permissions.actor.tenantId, id, forUpdate);
    // A segment over records the actor may not read is as good as absent.
    if (!row || !permissions.can('read', row.object)) throw new NotFoundError('segment', id);
    return row;
  }

  function assertEditable(actor: Actor, row: SegmentRow) {
    if (row.ownerId !== actor.userId && !isAdministrator(actor)) throw new PermissionDeniedError('update', 'segment');
  }

  return {
    async list(actor: Actor, object?: string): Promise<Segment[]> {
      const permissions = await authorization.of(actor);
      const rows = await database.readTenant(actor.tenantId, (trx) => repository.list(trx, actor.tenantId, object));
      return rows.filter((row) => permissions.can('read', row.object)).map(toSegment);
    },

    async get(actor: Actor, id: string): Promise<Segment> {
      const permissions = await authorization.of(actor);
      return database.readTenant(actor.tenantId, async (trx) => toSegment(await getRow(trx, permissions, id)));
    },

    async create(actor: Actor, input: CreateSegment): Promise<Segment> {
      const permissions = await authorization.of(actor);
      permissions.assertCan('read', input.object);
      const name = input.name.trim();
      if (!name) throw new FieldError('validation.failed', 'name', 'must not be empty');
      return database.forTenant(actor.tenantId, async (trx) => {
        await checkFilter(trx, permissions, input.object, input.filter);
        const row = await repository.insert(trx, { tenantId: actor.tenantId, id: uuidv7(), object: input.object, name, filter: input.filter, ownerId: actor.userId });
        await appendChange(trx, actor, { entity: 'segment', entityId: row.id, operation: 'create', after: { object: row.object, name, filter: input.filter } });
        return toSegment(row);
      });
    },

    async update(actor: Actor, id: string, input: UpdateSegment): Promise<Segment> {
      const permissions = await authorization.of(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const before = await getRow(trx, permissions, id, true);
        assertEditable(actor, before);
        if (input.filter !== undefined) await checkFilter(trx, permissions, before.object, input.filter);
        const name = input.name?.trim();
        if (name === '') throw new FieldError('validation.failed', 'name', 'must not be empty');
        const after = await repository.update(trx, actor.tenantId, id, { name, filter: input.filter });
        await appendChange(trx, actor, { entity: 'segment', entityId: id, operation: 'update', before: { name: before.name, filter: before.filter }, after: { name: after.name, filter: after.filter } });
        return toSegment(after);
      });
    },

    async delete(actor: Actor, id: string): Promise<void> {
      const permissions = await authorization.of(actor);
      await database.forTenant(actor.tenantId, async (trx) => {
        const before = await getRow(trx, permissions, id, true);
        assertEditable(actor, before);
        await repository.delete(trx, actor.tenantId, id);
        await appendChange(trx, actor, { entity: 'segment', entityId: id, operation: 'delete', before: { object: before.object, name: before.name, filter: before.filter } });
      });
    },

    /** The segment's object, after checking the actor may see the segment (for its record lists). */
    async objectOf(actor: Actor, id: string): Promise<string> {
      return (await this.get(actor, id)).object;
    },
  };
}

export type SegmentService = ReturnType<typeof createSegmentService>;
