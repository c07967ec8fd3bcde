// The duplicate warning a contact or company answer carries after a create or update: the
// response keeps the record's shape and gains `warnings` only when candidates exist.
import type { Selectable } from 'kysely';
import type { CompanyTable, ContactTable } from '../../db/schema.js';
import type { Permissions } from '../../platform/authorization/authorization.js';
import type { Trx } from '../../platform/db.js';
import { duplicatesRepository } from './customers.duplicates.repository.js';
import type { DuplicateWarnings } from './customers.duplicates.schemas.js';

type Warned = { warnings?: DuplicateWarnings };

function probeFor(permissions: Permissions, object: string, id: string) {
  return { tenantId: permissions.actor.tenantId, id, owners: permissions.ownerFilter('read', object), hiddenFields: permissions.hiddenFields(object) };
}

const warned = (duplicates: DuplicateWarnings['duplicates']): Warned => (duplicates.length ? { warnings: { duplicates } } : {});

/** `row` as stored: an encrypted phone is matched by its blind index. */
export async function contactDuplicateWarnings(trx: Trx, permissions: Permissions, row: Pick<Selectable<ContactTable>, 'id' | 'name' | 'email' | 'phone' | 'phoneIndex' | 'companyId'>): Promise<Warned> {
  return warned(await duplicatesRepository.findContactCandidates(trx, probeFor(permissions, 'contact', row.id), row));
}

export async function companyDuplicateWarnings(trx: Trx, permissions: Permissions, row: Selectable<CompanyTable>): Promise<Warned> {
  return warned(await duplicatesRepository.findCompanyCandidates(trx, probeFor(permissions, 'company', row.id), row));
}
