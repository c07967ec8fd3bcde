// One import batch: decide for each row (create, update, skip as a duplicate, reject), then
// write the creates and the updates as two multi-row statements, their change-log rows, what
// undo needs and the rejected rows — all inside the caller's transaction.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import type { Permissions } from '../../platform/authorization/authorization.js';
import { appendChanges, type ChangeEntry } from '../../platform/change-log.js';
import type { Trx } from '../../platform/db.js';
import type { TenantCipher } from '../../platform/encryption/encryption.service.js';
import { merged } from '../../platform/objects.js';
import { loadCustomFieldChecker } from './customers.import.custom-fields.js';
import { applyCustomFields } from './customers.custom-fields.service.js';
import { sealChange } from './customers.custom-fields.sealing.js';
import { isRejection, type ImportMode, type ImportObject, type ImportValues, type RowRejection } from './customers.import.mapping.js';
import { importColumns, importRepository as repository, type BatchProgress, type ImportErrorValues, type StoredRecord } from './customers.import.repository.js';
import { domainFrom } from './customers.normalise.js';

export interface BatchRow {
  rowNumber: number;
  values: string[];
  mapped: ImportValues | RowRejection;
}

export interface BatchContext {
  actor: Actor;
  permissions: Permissions;
  object: ImportObject;
  mode: ImportMode;
  dryRun: boolean;
  importId: string;
  /** Set for contacts: seals phones as the workspace stores them. */
  cipher?: TenantCipher;
  /** A cipher that can always encrypt, for custom fields marked sensitive (made on first need). */
  cipherWithKey(trx: Trx): Promise<TenantCipher>;
  /** Set while a batch runs: seals the sensitive values of a row's custom fields. */
  sealCustomFields?: (values: Record<string, unknown>) => Record<string, unknown>;
  /** Dry runs write nothing, so keys "created" by earlier batches are remembered here. */
  seenKeys: Set<string>;
}

type Counts = Omit<BatchProgress, 'rowsRead' | 'bytesRead'>;
interface Pending {
  id: string;
  kind: 'insert' | 'update';
  existing?: StoredRecord;
  values: ImportValues;
}

const phoneField = 'contact.phone';
type UniqueColumn = 'email' | 'external_id';
const fieldOf = { email: 'email', external_id: 'externalId' } as const;

/** The column a row is matched on: the upsert key, or in create mode what makes a duplicate. */
function keyColumn(mode: ImportMode, object: ImportObject): UniqueColumn {
  if (mode === 'upsert_email') return 'email';
  if (mode === 'upsert_external_id') return 'external_id';
  return object === 'contact' ? 'email' : 'external_id';
}
const uniqueColumns = (object: ImportObject): UniqueColumn[] => (object === 'contact' ? ['email', 'external_id'] : ['external_id']);

/** The record's loggable fields, as stored (an encrypted phone stays ciphertext in the log). */
function logged(object: ImportObject, record: Record<string, unknown>) {
  const fields = importColumns[object].filter((column) => column !== 'phone_index');
  return Object.fromEntries(fields.map((column) => [column.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase()), record[column] ?? null]));
}

/** Prepares lookups that need the database: companies by name, owners that exist. */
async function resolveReferences(trx: Trx, context: BatchContext, rows: BatchRow[]) {
  const tenantId = context.actor.tenantId;
  const mapped = rows.map((row) => row.mapped).filter((value): value is ImportValues => !isRejection(value));
  const companyIds = await repository.findCompanyIdsByName(trx, tenantId, [...new Set(mapped.flatMap((values) => (values.companyName ? [values.companyName.toLowerCase()] : [])))]);
  const owners = await repository.existingUserIds(trx, tenantId, [...new Set(mapped.flatMap((values) => (values.ownerId ? [values.ownerId] : [])))]);
  return { companyIds, owners };
}

function rowProblem(context: BatchContext, values: ImportValues, references: Awaited<ReturnType<typeof resolveReferences>>): RowRejection | undefined {
  if (values.ownerId) {
    if (!references.owners.has(values.ownerId)) return { code: 'import.owner_not_found', field: 'ownerId', message: 'No user with this id in this workspace' };
    if (!context.permissions.canAssignOwner(context.object, values.ownerId)) return { code: 'permission.denied', field: 'ownerId', message: 'You may not make this user the owner' };
  }
  if (values.companyName && !references.companyIds.has(values.companyName.toLowerCase())) {
    return { code: 'import.company_not_found', field: 'companyName', message: `No company named "${values.companyName}"; import companies first` };
  }
  return undefined;
}

/** The stored columns of a record after applying the row's values over what it held. */
function toColumns(context: BatchContext, values: ImportValues, existing: StoredRecord | undefined, companyIds: Map<string, string>): Record<string, unknown> {
  const keep = (field: string) => existing?.[field] ?? null;
  const pick = (field: keyof ImportValues) => (values[field] as string | undefined) ?? keep(field);
  const change = values.customFields ?? {};
  const customFields = applyCustomFields((existing?.customFields ?? {}) as Record<string, unknown>, context.sealCustomFields?.(change) ?? change);
  const name = values.name ?? keep('name');
  const email = pick('email') as string | null;
  const ownerId = values.ownerId ?? keep('ownerId') ?? context.actor.userId;
  const externalId = pick('externalId');
  if (context.object === 'company') {
    const website = pick('website') as string | null;
    return {
      name, email, owner_id: ownerId, external_id: externalId, custom_fields: customFields,
      website, domain: domainFrom(website, email), phone: pick('phone'), industry: pick('industry'), city: pick('city'), country: pick('country'),
    };
  }
  const phone = values.phone !== undefined ? context.cipher!.seal(phoneField, values.phone) : { value: keep('phone'), index: keep('phoneIndex') };
  const companyId = values.companyName ? companyIds.get(values.companyName.toLowerCase()) : keep('companyId');
  return {
    name, email, owner_id: ownerId, external_id: externalId, custom_fields: customFields,
    phone: phone.value, phone_index: phone.index, title: pick('title'), company_id: companyId ?? null,
  };
}

const storedToColumns = (object: ImportObject, record: StoredRecord) =>
  Object.fromEntries(importColumns[object].map((column) => [column, record[column.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase())] ?? null]));

/** Decides, and unless it is a dry run writes, one batch. Returns its counts. */
export async function writeBatch(trx: Trx, context: BatchContext, rows: BatchRow[]): Promise<Counts> {
  const { object, mode, actor } = context;
  const counts: Counts = { created: 0, updated: 0, skipped: 0, rejected: 0 };
  const errors: ImportErrorValues[] = [];
  const reject = (row: BatchRow, problem: RowRejection) => {
    counts.rejected++;
    errors.push({ rowNumber: row.rowNumber, ...problem, values: row.values });
  };
  const references = await resolveReferences(trx, context, rows);
  const valid = rows.filter((row) => !isRejection(row.mapped)) as Array<BatchRow & { mapped: ImportValues }>;
  const matchColumn = keyColumn(mode, object);
  const keyOf = (values: ImportValues) => values[fieldOf[matchColumn]];
  const existingByKey = new Map<string, StoredRecord>();
  // Each unique column (a contact's email, any external id): value → the record holding it.
  const holders = new Map<UniqueColumn, Map<string, string>>();
  for (const column of uniqueColumns(object)) {
    const values = [...new Set(valid.flatMap((row) => row.mapped[fieldOf[column]] ?? []))];
    const found = await repository.findByKeys(trx, actor.tenantId, object, column, values);
    holders.set(column, new Map(found.map((record) => [String(record[fieldOf[column]]), record.id])));
    if (column === matchColumn) for (const record of found) existingByKey.set(String(record[fieldOf[column]]), record);
  }
  const customFields = await loadCustomFieldChecker(trx, actor.tenantId, object);
  context.sealCustomFields = undefined;
  if (customFields.sensitiveKeys.size > 0 && !context.dryRun) {
    const cipher = await context.cipherWithKey(trx);
    context.sealCustomFields = (change) => sealChange(cipher, object, customFields.sensitiveKeys, change);
  }
  const pendingByKey = new Map<string, Pending>();
  const pending: Pending[] = [];
  for (const row of rows) {
    if (isRejection(row.mapped)) {
      reject(row, row.mapped);
      continue;
    }
    const values = row.mapped;
    if (values.customFields) {
      const checked = await customFields.check(trx, values.customFields);
      if ('problem' in checked) {
        reject(row, checked.problem);
        continue;
      }
      values.customFields = checked.values;
    }
    const problem = rowProblem(context, values, references);
    if (problem) {
      reject(row, problem);
      continue;
    }
    const key = keyOf(values);
    const earlier = key === undefined ? undefined : pendingByKey.get(key);
    const existing = key === undefined ? undefined : existingByKey.get(key);
    const seenInDryRun = key !== undefined && context.dryRun && context.seenKeys.has(key);
    if (earlier || existing || seenInDryRun) {
      if (mode === 'create') {
        counts.skipped++;
        continue;
      }
      if (existing && !earlier && !context.permissions.covers('update', object, existing.ownerId)) {
        reject(row, { code: 'permission.denied', field: null, message: `You may not update this ${object} (it belongs to another owner)` });
        continue;
      }
    }
    const missing = !earlier && !existing && !seenInDryRun ? customFields.missingRequired(values.customFields) : undefined;
    if (missing) {
      reject(row, missing);
      continue;
    }
    const selfId = earlier?.id ?? existing?.id;
    const taken = uniqueColumns(object).find((column) => {
      const value = values[fieldOf[column]];
      return value !== undefined && holders.get(column)!.has(value) && holders.get(column)!.get(value) !== selfId;
    });
    if (taken) {
      reject(row, { code: `${object}.${taken}_taken`, field: fieldOf[taken], message: `Another ${object} in this workspace has this ${fieldOf[taken]}` });
      continue;
    }
    if (earlier) {
      earlier.values = Object.assign({}, earlier.values, values, { customFields: Object.assign({}, earlier.values.customFields, values.customFields) });
      counts.updated++;
    } else if (existing || seenInDryRun) {
      const entry: Pending = { id: existing?.id ?? uuidv7(), kind: 'update', existing, values };
      pending.push(entry);
      if (key !== undefined) pendingByKey.set(key, entry);
      counts.updated++;
    } else {
      const entry: Pending = { id: uuidv7(), kind: 'insert', values };
      pending.push(entry);
      if (key !== undefined) pendingByKey.set(key, entry);
      counts.created++;
    }
    const holderId = (earlier ?? pending[pending.length - 1]).id;
    for (const column of uniqueColumns(object)) {
      const value = values[fieldOf[column]];
      if (value !== undefined) holders.get(column)!.set(value, holderId);
    }
  }
  if (context.dryRun) {
    for (const key of pendingByKey.keys()) context.seenKeys.add(key);
  } else {
    await writePending(trx, context, pending, references.companyIds);
  }
  await repository.insertErrors(trx, actor.tenantId, context.importId, errors);
  return counts;
}

async function writePending(trx: Trx, context: BatchContext, pending: Pending[], companyIds: Map<string, string>) {
  const { object, actor } = context;
  const at = new Date();
  const changes: ChangeEntry[] = [];
  const undoRecords: Array<{ id: string; action: 'created' | 'updated'; before: object | null }> = [];
  for (const kind of ['insert', 'update'] as const) {
    const batch = pending.filter((entry) => entry.kind === kind);
    const columns: Record<string, unknown[]> = Object.fromEntries(importColumns[object].map((column) => [column, []]));
    for (const entry of batch) {
      const values = toColumns(context, entry.values, entry.existing, companyIds);
      for (const column of importColumns[object]) columns[column].push(values[column] ?? null);
      const before = entry.existing ? storedToColumns(object, entry.existing) : null;
      changes.push({ entity: object, entityId: entry.id, operation: kind === 'insert' ? 'create' : 'update', before: before && logged(object, before), after: logged(object, values) });
      undoRecords.push({ id: entry.id, action: kind === 'insert' ? 'created' : 'updated', before: before && merged(before, { phone_index: (before.phone_index as Buffer | null)?.toString('base64') ?? null }) });
    }
    await repository.writeRecords(trx, actor.tenantId, object, kind, batch.map((entry) => entry.id), columns, at);
  }
  await appendChanges(trx, actor, changes);
  await repository.insertImportRecords(trx, actor.tenantId, context.importId, undoRecords, at);
}
