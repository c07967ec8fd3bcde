// The built-in merge hook: a merged company's contacts move to the surviving company (each
// move is in the contact's history), and an undo moves back those still at the survivor.
import { appendChange } from '../../platform/change-log.js';
import type { MergeHook } from './customers.merge-hooks.js';

interface MovedContact {
  contactId: string;
  companyId: string;
}

export const companyContactsMergeHook: MergeHook = {
  name: 'customers.company-contacts',

  async repoint({ trx, actor, object, survivorId, mergedIds }) {
    if (object !== 'company') return { moved: 0, undo: [] };
    const moved: MovedContact[] = (await trx.selectFrom('contact').select(['id as contactId', 'companyId'])
      .where('tenantId', '=', actor.tenantId).where('companyId', 'in', mergedIds).forUpdate().execute())
      .map((row) => ({ contactId: row.contactId, companyId: row.companyId! }));
    if (moved.length === 0) return { moved: 0, undo: [] };
    await trx.updateTable('contact').set({ companyId: survivorId, updatedAt: new Date() })
      .where('tenantId', '=', actor.tenantId).where('companyId', 'in', mergedIds).execute();
    for (const { contactId, companyId } of moved) {
      await appendChange(trx, actor, { entity: 'contact', entityId: contactId, operation: 'update', before: { companyId }, after: { companyId: survivorId } });
    }
    return { moved: moved.length, undo: moved };
  },

  async restore({ trx, actor, survivorId }, undo) {
    for (const { contactId, companyId } of undo as MovedContact[]) {
      // A contact moved elsewhere since the merge stays where the user put it.
      const result = await trx.updateTable('contact').set({ companyId, updatedAt: new Date() })
        .where('tenantId', '=', actor.tenantId).where('id', '=', contactId).where('companyId', '=', survivorId).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
      await appendChange(trx, actor, { entity: 'contact', entityId: contactId, operation: 'update', before: { companyId: survivorId }, after: { companyId } });
    }
  },
};
