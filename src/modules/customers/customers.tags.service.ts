// Tags: short labels on contacts and companies, created on demand by name. Tagging a record
// is a change of that record (its history shows the tags before and after); renaming or
// deleting a tag is an administrator's change of the tag itself.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { PermissionDeniedError, type Authorization, type OwnerFilter } from '../../platform/authorization/authorization.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import { merged } from '../../platform/objects.js';
import { companiesRepository } from './companies.repository.js';
import { contactsRepository } from './contacts.repository.js';
import type { MergeHook } from './customers.merge-hooks.js';
import { tagsRepository as repository, type TagRow } from './customers.tags.repository.js';
import type { CreateTag, Tag, UpdateTag } from './customers.tags.schemas.js';

export type TaggableObject = 'contact' | 'company';

const toTag = (row: TagRow & { usage?: number }): Tag => ({
  id: row.id, name: row.name, color: row.color, ...(row.usage === undefined ? {} : { usage: Number(row.usage) }), createdAt: row.createdAt.toISOString(),
});

const nameTaken = (name: string) => new ConflictError('tag.name_taken', 'name', `A tag named ${name} exists already`);
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** The tags with these names, creating the missing ones (a concurrent creator's row is reused). */
async function ensureTags(trx: Trx, actor: Actor, names: string[]): Promise<TagRow[]> {
  // The first spelling of a name wins: ["VIP", "vip"] is one tag, VIP.
  const byLowerCase = new Map<string, string>();
  for (const name of names.map((candidate) => candidate.trim()).filter(Boolean)) {
    if (!byLowerCase.has(name.toLowerCase())) byLowerCase.set(name.toLowerCase(), name);
  }
  const unique = [...byLowerCase.values()];
  const existing = await repository.findByNames(trx, actor.tenantId, unique);
  const known = new Set(existing.map((tag) => tag.name.toLowerCase()));
  for (const name of unique.filter((candidate) => !known.has(candidate.toLowerCase()))) {
    const tag = await repository.insert(trx, { tenantId: actor.tenantId, id: uuidv7(), name, color: null });
    await appendChange(trx, actor, { entity: 'tag', entityId: tag.id, operation: 'create', after: { name, color: null } });
    existing.push(tag);
  }
  return existing;
}

export function createTagService({ database, authorization }: { database: Database; authorization: Authorization }) {
  async function findRecordOwner(trx: Trx, actor: Actor, object: TaggableObject, id: string, owners: OwnerFilter) {
    const row = object === 'contact'
      ? await contactsRepository.findForUpdate(trx, actor.tenantId, id, owners)
      : await companiesRepository.findForUpdate(trx, actor.tenantId, id, owners);
    if (!row) throw new NotFoundError(object, id);
    return row;
  }

  return {
    async list(actor: Actor): Promise<Tag[]> {
      return database.readTenant(actor.tenantId, async (trx) => (await repository.list(trx, actor.tenantId)).map(toTag));
    },

    async create(actor: Actor, input: CreateTag): Promise<Tag> {
      const permissions = await authorization.of(actor);
      if (!permissions.can('update', 'contact') && !permissions.can('update', 'company')) throw new PermissionDeniedError('create', 'tag');
      try {
        return await database.forTenant(actor.tenantId, async (trx) => {
          const row = await repository.insert(trx, { tenantId: actor.tenantId, id: uuidv7(), name: input.name.trim(), color: input.color ?? null });
          await appendChange(trx, actor, { entity: 'tag', entityId: row.id, operation: 'create', after: { name: row.name, color: row.color } });
          return toTag(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
    },

    async update(actor: Actor, id: string, input: UpdateTag): Promise<Tag> {
      assertAdministrator(actor);
      try {
        return await database.forTenant(actor.tenantId, async (trx) => {
          const before = await repository.find(trx, actor.tenantId, id, true);
          if (!before) throw new NotFoundError('tag', id);
          const after = await repository.update(trx, actor.tenantId, id, merged(input.name ? { name: input.name.trim() } : {}, input.color !== undefined ? { color: input.color } : {}));
          await appendChange(trx, actor, { entity: 'tag', entityId: id, operation: 'update', before: { name: before.name, color: before.color }, after: { name: after.name, color: after.color } });
          return toTag(after);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name ?? '');
        throw error;
      }
    },

    /** Deleting a tag untags every record; each record's history says so. */
    async delete(actor: Actor, id: string): Promise<void> {
      assertAdministrator(actor);
      await database.forTenant(actor.tenantId, async (trx) => {
        const before = await repository.find(trx, actor.tenantId, id, true);
        if (!before) throw new NotFoundError('tag', id);
        for (const carrier of await repository.delete(trx, actor.tenantId, id)) {
          await appendChange(trx, actor, { entity: carrier.object, entityId: carrier.recordId, operation: 'update', before: { tagRemoved: before.name }, after: { tagRemoved: null } });
        }
        await appendChange(trx, actor, { entity: 'tag', entityId: id, operation: 'delete', before: { name: before.name, color: before.color } });
      });
    },

    /** Sets a record's tags to exactly these names; returns the names it carries after. */
    async setRecordTags(actor: Actor, object: TaggableObject, recordId: string, names: string[]): Promise<{ tags: string[] }> {
      const permissions = await authorization.of(actor);
      permissions.assertCan('update', object);
      permissions.assertWritable(object, { tags: names });
      const attempt = () => database.forTenant(actor.tenantId, async (trx) => {
        const record = await findRecordOwner(trx, actor, object, recordId, permissions.ownerFilter('read', object));
        if (!permissions.covers('update', object, record.ownerId)) throw new PermissionDeniedError('update', object);
        const wanted = await ensureTags(trx, actor, names);
        const wantedIds = new Set(wanted.map((tag) => tag.id));
        const currentIds = await repository.tagIdsOf(trx, actor.tenantId, object, recordId);
        await repository.remove(trx, actor.tenantId, object, recordId, currentIds.filter((tagId) => !wantedIds.has(tagId)));
        await repository.add(trx, actor.tenantId, object, recordId, [...wantedIds].filter((tagId) => !currentIds.includes(tagId)));
        const after = wanted.map((tag) => tag.name).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
        await appendChange(trx, actor, { entity: object, entityId: recordId, operation: 'update', before: { tags: record.tags ?? [] }, after: { tags: after } });
        return { tags: after };
      });
      try {
        return await attempt();
      } catch (error) {
        // Two requests created the same new tag at once: once the winner committed, ours finds it.
        if (isUniqueViolation(error)) return attempt();
        throw error;
      }
    },
  };
}

export type TagService = ReturnType<typeof createTagService>;

interface TagMergeNote {
  moved: Array<{ recordId: string; tagId: string; createdAt: string }>;
  dropped: Array<{ recordId: string; tagId: string; createdAt: string }>;
}

/**
 * Moves the merged records' tags to the survivor. A tag the survivor already carries is
 * dropped from the merged record instead; the note lists both so an undo puts every link back.
 */
export const tagMergeHook: MergeHook = {
  name: 'customers.tags',
  async repoint({ trx, actor, object, survivorId, mergedIds }) {
    const links = await repository.links(trx, actor.tenantId, object, mergedIds);
    const survivorTags = new Set(await repository.tagIdsOf(trx, actor.tenantId, object, survivorId));
    const note: TagMergeNote = { moved: [], dropped: [] };
    for (const link of links) {
      const entry = { recordId: link.recordId, tagId: link.tagId, createdAt: new Date(link.createdAt).toISOString() };
      if (survivorTags.has(link.tagId)) note.dropped.push(entry);
      else {
        note.moved.push(entry);
        survivorTags.add(link.tagId);
      }
    }
    await repository.deleteLinks(trx, actor.tenantId, object, links);
    await repository.insertLinks(trx, actor.tenantId, object, note.moved.map((link) => merged(link, { recordId: survivorId })));
    return { moved: note.moved.length, undo: note };
  },
  async restore({ trx, actor, object, survivorId }, undo) {
    const note = undo as TagMergeNote;
    await repository.deleteLinks(trx, actor.tenantId, object, note.moved.map((link) => ({ recordId: survivorId, tagId: link.tagId })));
    await repository.insertLinks(trx, actor.tenantId, object, [...note.moved, ...note.dropped]);
  },
};
