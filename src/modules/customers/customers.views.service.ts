// Saved views: a list's columns, filter and sort under a name. A private view is its owner's
// alone (others get 404); a shared one is listed for everyone, and only its owner or an admin
// may change it.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { isAdministrator } from '../../platform/authorization/admin.js';
import { PermissionDeniedError, type Authorization, type Permissions } from '../../platform/authorization/authorization.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import { merged } from '../../platform/objects.js';
import { customFieldsRepository } from './customers.custom-fields.repository.js';
import { companyObject, contactObject } from './customers.objects.js';
import { checkFilter } from './customers.segments.service.js';
import { viewsRepository as repository, type ViewRow, type ViewValues } from './customers.views.repository.js';
import type { CreateView, UpdateView, View } from './customers.views.schemas.js';

const toView = (row: ViewRow): View => ({
  id: row.id, object: row.object, name: row.name, ownerId: row.ownerId, shared: row.shared, columns: row.columns,
  filter: (row.filter ?? null) as View['filter'], sort: row.sort, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
});

const standardColumns: Record<string, string[]> = {
  contact: [...contactObject.fields, 'companyName', 'createdAt', 'updatedAt'],
  company: [...companyObject.fields, 'createdAt', 'updatedAt'],
};
const standardSorts: Record<string, string[]> = {
  contact: ['name', 'email', 'createdAt', 'updatedAt'],
  company: ['name', 'domain', 'createdAt', 'updatedAt'],
};

/** Columns, sort and filter must name fields the object has. */
async function checkViewValues(trx: Trx, permissions: Permissions, object: string, values: Partial<ViewValues>) {
  const keys = new Set((await customFieldsRepository.list(trx, permissions.actor.tenantId, object)).map((definition) => `custom.${definition.key}`));
  values.columns?.forEach((column, index) => {
    if (!standardColumns[object].includes(column) && !keys.has(column)) throw new FieldError('view.column_unknown', `columns[${index}]`, `${object} has no field ${column}`);
  });
  const sortField = values.sort?.replace(/^-/, '');
  if (sortField && !standardSorts[object].includes(sortField) && !keys.has(sortField)) {
    throw new FieldError('view.sort_invalid', 'sort', `Cannot sort ${object} lists by ${sortField}`);
  }
  if (values.filter) await checkFilter(trx, permissions, object, values.filter);
}

export function createViewService({ database, authorization }: { database: Database; authorization: Authorization }) {
  async function getRow(trx: Trx, actor: Actor, id: string, forUpdate = false) {
    const row = await repository.find(trx, actor.tenantId, id, forUpdate);
    if (!row || (!row.shared && row.ownerId !== actor.userId)) throw new NotFoundError('view', id);
    return row;
  }

  function assertEditable(actor: Actor, row: ViewRow) {
    if (row.ownerId !== actor.userId && !isAdministrator(actor)) throw new PermissionDeniedError('update', 'view');
  }

  const logged = (row: ViewRow) => ({ object: row.object, name: row.name, shared: row.shared, columns: row.columns, filter: row.filter, sort: row.sort });

  return {
    async list(actor: Actor, object?: string): Promise<View[]> {
      return database.readTenant(actor.tenantId, async (trx) => (await repository.listVisible(trx, actor.tenantId, actor.userId, object)).map(toView));
    },

    async create(actor: Actor, input: CreateView): Promise<View> {
      const permissions = await authorization.of(actor);
      permissions.assertCan('read', input.object);
      const values: ViewValues = {
        object: input.object, name: input.name.trim(), shared: input.shared ?? false, columns: input.columns, filter: input.filter ?? null, sort: input.sort ?? null,
      };
      if (!values.name) throw new FieldError('validation.failed', 'name', 'must not be empty');
      return database.forTenant(actor.tenantId, async (trx) => {
        await checkViewValues(trx, permissions, input.object, values);
        const row = await repository.insert(trx, merged(values, { tenantId: actor.tenantId, id: uuidv7(), ownerId: actor.userId }));
        await appendChange(trx, actor, { entity: 'view', entityId: row.id, operation: 'create', after: logged(row) });
        return toView(row);
      });
    },

    async update(actor: Actor, id: string, input: UpdateView): Promise<View> {
      const permissions = await authorization.of(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const before = await getRow(trx, actor, id, true);
        assertEditable(actor, before);
        const values: Partial<ViewValues> = merged(input, input.name === undefined ? {} : { name: input.name.trim() });
        if (values.name === '') throw new FieldError('validation.failed', 'name', 'must not be empty');
        await checkViewValues(trx, permissions, before.object, values);
        const after = await repository.update(trx, actor.tenantId, id, values);
        await appendChange(trx, actor, { entity: 'view', entityId: id, operation: 'update', before: logged(before), after: logged(after) });
        return toView(after);
      });
    },

    async delete(actor: Actor, id: string): Promise<void> {
      await database.forTenant(actor.tenantId, async (trx) => {
        const before = await getRow(trx, actor, id, true);
        assertEditable(actor, before);
        await repository.delete(trx, actor.tenantId, id);
        await appendChange(trx, actor, { entity: 'view', entityId: id, operation: 'delete', before: logged(before) });
      });
    },
  };
}

export type ViewService = ReturnType<typeof createViewService>;
