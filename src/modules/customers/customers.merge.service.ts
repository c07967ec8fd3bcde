// Merging contacts or companies into one survivor, and undoing it. One transaction: the
// before-images go into the merge row, every registered hook moves its records, the merged
// records are deleted, the survivor takes the chosen values, and the change log says so.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { PermissionDeniedError, type Authorization, type Permissions } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { ConflictError, FieldError, NotFoundError } from '../../platform/errors.js';
import { sql } from 'kysely';
import type { CompanyService } from './companies.service.js';
import type { ContactService } from './contacts.service.js';
import { duplicateQueueRepository } from './customers.duplicates.queue.js';
import type { MergeableObject, MergeHooks } from './customers.merge-hooks.js';
import { mergeRepository, type MergeRow } from './customers.merge.repository.js';
import type { Merge, MergeListQuery, MergeRequest } from './customers.merge.schemas.js';
import { checkFieldChoices, chooseValues, mergeFields, type StoredRecord } from './customers.merge.values.js';

function toMerge(row: MergeRow): Merge {
  return {
    id: row.id, object: row.object, survivorId: row.survivorId, mergedIds: row.mergedIds, actorId: row.actorId,
    hooks: row.hookNotes.map(({ name, moved }) => ({ name, moved })),
    createdAt: row.createdAt.toISOString(), undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}

/** What the change log shows of a record: its mergeable fields as stored (phones stay ciphertext). */
function logged(object: MergeableObject, record: StoredRecord) {
  const fields = [...mergeFields[object], ...(object === 'company' ? ['domain'] : []), ...(record.customFields ? ['customFields'] : [])];
  return Object.fromEntries(fields.map((field) => [field, record[field] ?? null]));
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export function createMergeService({ database, authorization, mergeHooks, contacts, companies }: {
  database: Database; authorization: Authorization; mergeHooks: MergeHooks; contacts: ContactService; companies: CompanyService;
}) {
  async function permissionsFor(actor: Actor, object: MergeableObject) {
    const permissions = await authorization.of(actor);
    permissions.assertCan('update', object);
    permissions.assertCan('delete', object);
    return permissions;
  }

  /** The records, locked, in the actor's read scope; a missing one is a 404 naming its id. */
  async function lockRecords(trx: Trx, permissions: Permissions, object: MergeableObject, ids: string[]): Promise<Map<string, StoredRecord>> {
    const rows = await trx.selectFrom(object).selectAll().where('tenantId', '=', permissions.actor.tenantId).where('id', 'in', ids)
      .where(ownerCondition(sql.ref('ownerId'), permissions.ownerFilter('read', object))).orderBy('id').forUpdate().execute();
    const found = new Map(rows.map((row) => [row.id, row as unknown as StoredRecord]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new NotFoundError(object, missing);
    return found;
  }

  function assertCovers(permissions: Permissions, object: MergeableObject, survivor: StoredRecord, merged: StoredRecord[]) {
    if (!permissions.covers('update', object, survivor.ownerId)) throw new PermissionDeniedError('update', object);
    if (merged.some((record) => !permissions.covers('delete', object, record.ownerId))) throw new PermissionDeniedError('delete', object);
  }

  async function mergeInTransaction(trx: Trx, permissions: Permissions, object: MergeableObject, request: MergeRequest): Promise<MergeRow> {
    const { actor } = permissions;
    const records = await lockRecords(trx, permissions, object, [request.survivorId, ...request.mergedIds]);
    const survivor = records.get(request.survivorId)!;
    const merged = request.mergedIds.map((id) => records.get(id)!);
    assertCovers(permissions, object, survivor, merged);
    const values = chooseValues(object, permissions, survivor, merged, request.fields ?? {});
    if ('ownerId' in values && !permissions.canAssignOwner(object, values.ownerId as string | null)) throw new PermissionDeniedError('update', object, 'ownerId');
    const id = uuidv7();
    const context = { trx, actor, object, survivorId: survivor.id, mergedIds: request.mergedIds };
    await mergeRepository.insert(trx, { tenantId: actor.tenantId, id, object, survivorId: survivor.id, mergedIds: request.mergedIds, actorId: actor.userId });
    const notes = [];
    for (const hook of mergeHooks.list()) notes.push({ name: hook.name, ...await hook.repoint(context) });
    await trx.deleteFrom(object).where('tenantId', '=', actor.tenantId).where('id', 'in', request.mergedIds).execute();
    const { customFields, ...plain } = values;
    await trx.updateTable(object).set(Object.assign({}, plain, customFields ? { customFields: JSON.stringify(customFields) } : {}, { updatedAt: new Date() }))
      .where('tenantId', '=', actor.tenantId).where('id', '=', survivor.id).execute();
    await mergeRepository.complete(trx, { tenantId: actor.tenantId, id, object, survivorId: survivor.id }, notes);
    await appendChange(trx, actor, { entity: object, entityId: survivor.id, operation: 'merge', before: logged(object, survivor), after: Object.assign({}, logged(object, Object.assign({}, survivor, values)), { mergedIds: request.mergedIds }) });
    for (const record of merged) {
      await appendChange(trx, actor, { entity: object, entityId: record.id, operation: 'merged', before: logged(object, record), after: { mergedInto: survivor.id } });
    }
    await duplicateQueueRepository.setPairsOfRecords(trx, actor.tenantId, object, request.mergedIds, 'open', 'merged');
    return (await mergeRepository.find(trx, actor.tenantId, id))!;
  }

  async function undoInTransaction(trx: Trx, permissions: Permissions, merge: MergeRow) {
    const { actor } = permissions;
    const [survivor] = await trx.selectFrom(merge.object).selectAll().where('tenantId', '=', actor.tenantId).where('id', '=', merge.survivorId).forUpdate().execute();
    if (!survivor) throw new ConflictError('merge.undo_conflict', 'survivorId', 'The surviving record has been deleted since the merge');
    if (!permissions.covers('update', merge.object, survivor.ownerId)) throw new PermissionDeniedError('update', merge.object);
    const reused = await mergeRepository.findReusedIds(trx, merge);
    if (reused.length) throw new ConflictError('merge.undo_conflict', 'mergedIds', `A record with id ${reused.join(', ')} exists again`);
    await mergeRepository.restoreRecords(trx, merge);
    const context = { trx, actor, object: merge.object, survivorId: merge.survivorId, mergedIds: merge.mergedIds };
    for (const note of [...merge.hookNotes].reverse()) {
      const hook = mergeHooks.find(note.name);
      if (!hook) throw new ConflictError('merge.undo_conflict', 'hooks', `The merge hook ${note.name} is no longer installed`);
      await hook.restore(context, note.undo);
    }
    await mergeRepository.markUndone(trx, actor.tenantId, merge.id, actor.userId);
    const restored = await trx.selectFrom(merge.object).selectAll().where('tenantId', '=', actor.tenantId).where('id', 'in', [merge.survivorId, ...merge.mergedIds]).execute();
    for (const row of restored as unknown as StoredRecord[]) {
      if (row.id === merge.survivorId) {
        await appendChange(trx, actor, { entity: merge.object, entityId: row.id, operation: 'unmerge', before: logged(merge.object, survivor as unknown as StoredRecord), after: Object.assign({}, logged(merge.object, row), { restoredIds: merge.mergedIds }) });
      } else {
        await appendChange(trx, actor, { entity: merge.object, entityId: row.id, operation: 'restore', after: logged(merge.object, row) });
      }
    }
    await duplicateQueueRepository.setPairsOfRecords(trx, actor.tenantId, merge.object, merge.mergedIds, 'merged', 'open');
  }

  async function survivorOf(actor: Actor, object: MergeableObject, id: string) {
    return object === 'contact' ? contacts.get(actor, id) : companies.get(actor, id);
  }

  return {
    async merge(actor: Actor, object: MergeableObject, request: MergeRequest) {
      if (request.mergedIds.includes(request.survivorId)) throw new FieldError('merge.survivor_in_merged', 'mergedIds', 'must not contain survivorId');
      checkFieldChoices(object, request.fields ?? {}, [request.survivorId, ...request.mergedIds]);
      const permissions = await permissionsFor(actor, object);
      // Choosing whose value a field keeps writes that field: hidden and read-only ones are refused.
      permissions.assertWritable(object, request.fields ?? {});
      const row = await database.forTenant(actor.tenantId, (trx) => mergeInTransaction(trx, permissions, object, request));
      return { merge: toMerge(row), survivor: await survivorOf(actor, object, row.survivorId) };
    },

    async undo(actor: Actor, id: string): Promise<Merge> {
      const actorPermissions = await authorization.of(actor);
      try {
        return await database.forTenant(actor.tenantId, async (trx) => {
          const merge = await mergeRepository.find(trx, actor.tenantId, id, { forUpdate: true });
          if (!merge || !actorPermissions.can('read', merge.object)) throw new NotFoundError('merge', id);
          const permissions = await permissionsFor(actor, merge.object);
          if (merge.undoneAt) throw new ConflictError('merge.already_undone', 'id', 'This merge has already been undone');
          await undoInTransaction(trx, permissions, merge);
          return toMerge((await mergeRepository.find(trx, actor.tenantId, id))!);
        });
      } catch (error) {
        // An email taken since the merge by another record: the unique index says so.
        if (isUniqueViolation(error)) throw new ConflictError('merge.undo_conflict', 'email', 'A merged record’s email is now used by another record');
        throw error;
      }
    },

    async list(actor: Actor, query: MergeListQuery): Promise<{ items: Merge[] }> {
      const permissions = await authorization.of(actor);
      const objects = (query.object ? [query.object] : (['contact', 'company'] as const))
        .filter((object) => permissions.can('read', object)).map((object) => ({ object, owners: permissions.ownerFilter('read', object) }));
      const rows = await database.readTenant(actor.tenantId, (trx) => mergeRepository.listForRecord(trx, actor.tenantId, query.recordId, objects));
      return { items: rows.map(toMerge) };
    },
  };
}

export type MergeService = ReturnType<typeof createMergeService>;
