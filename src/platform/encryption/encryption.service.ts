// Field encryption for every module: which fields a tenant encrypts, its data keys (one per
// version, wrapped by the KeyWrapper, unwrapped into a short-lived LRU), the cipher a
// service uses inside its transaction, key rotation and crypto-shredding on workspace
// deletion. A module registers each field it can encrypt and converts its own rows; this
// file never touches a module's table (ARCHITECTURE §2).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../actor.js';
import { assertAdministrator } from '../authorization/admin.js';
import type { Database, Trx } from '../db.js';
import { FieldError, ForbiddenError, NotFoundError } from '../errors.js';
import type { JobRunner } from '../jobs.js';
import { merged } from '../objects.js';
import { blindIndex, decryptValue, deriveIndexKey, encryptValue, FieldDecryptionError, isCiphertext, keyVersionOf } from './field-cipher.js';
import type { KeyWrapper } from './key-wrapper.js';

/** Encrypted unless the workspace's administrators say otherwise. */
export const defaultSensitiveFields = ['contact.phone'];
export const convertFieldsJob = 'encryption.convert-fields';
const batchSize = 500;

export interface EncryptedField {
  /** `<entity>.<field>`, e.g. contact.phone. */
  name: string;
  /**
   * Rewrites, in one transaction, the values after `afterId` (at most `limit` rows) that are
   * not yet in the tenant's target form: ciphertext under the current key version when the
   * field is sensitive, plaintext otherwise. `lastId` is null once the last row was seen.
   */
  convertBatch(tenantId: string, afterId: string | null, limit: number): Promise<{ lastId: string | null; changed: number }>;
  /**
   * False for values whose sensitivity is decided elsewhere (custom fields, by their
   * definition): rotation converts them, but they are not in the workspace's field list.
   */
  isSelectable?: boolean;
}

export interface TenantCipher {
  isSensitive(field: string): boolean;
  /**
   * Ciphertext whatever the workspace's field list says, for values whose own definition marks
   * them sensitive (custom fields). Needs a cipher asked for with `{ forWriting: true, withKey: true }`.
   */
  encrypt(field: string, plaintext: string): string;
  /** What to store: ciphertext and its blind index for a sensitive field, else the value and null. */
  seal(field: string, plaintext: string | null): { value: string | null; index: Buffer | null };
  /** The plaintext of a stored value (legacy plaintext passes through). */
  open(field: string, stored: string | null): Promise<string | null>;
  /** Whether a ciphertext is under the key version new writes use. */
  isCurrent(ciphertext: string): boolean;
  /** Whether a stored value is not in the form seal() would give it now. */
  needsRewrite(field: string, stored: string | null): boolean;
  /** Blind indexes to look the given normalised values up by, under every key version in use. */
  searchIndexes(field: string, normalisedValues: string[]): Buffer[];
}

export interface EncryptionSettings {
  fields: string[];
  availableFields: string[];
  keys: Array<{ version: number; createdAt: string; retiredAt: string | null }>;
}

interface TenantKey {
  dataKey: Buffer;
  indexKey: Buffer;
}

export interface FieldEncryptionDeps {
  database: Database;
  keyWrapper: KeyWrapper;
  jobs: Pick<JobRunner, 'send'>;
  /** Called after a workspace is deleted, e.g. to drop cached sign-ins to it at once. */
  onWorkspaceDeleted?: (tenantId: string) => void;
}

export function createFieldEncryption({ database, keyWrapper, jobs, onWorkspaceDeleted }: FieldEncryptionDeps) {
  const fields = new Map<string, EncryptedField>();
  // Unwrapping may be a KMS call; versions never change once made, so a few minutes is safe.
  // Deleting a workspace drops its entries here; other processes let them expire.
  const keyCache = new LRUCache<string, TenantKey>({ max: 2000, ttl: 5 * 60_000 });

  // A list page decrypts fifty phones at once: on a cold cache they wait for one lookup and
  // one unwrap (a KMS call, perhaps) instead of each making its own. The lookup runs on the
  // transaction of whoever asked first; a request that waited on someone else's and saw it
  // fail (that transaction was aborted, a KMS call timed out) looks the key up itself.
  const pendingKeys = new Map<string, Promise<TenantKey>>();

  // Keys a transaction made and has not committed: that transaction uses them, and nothing
  // caches them. Cached, a key its transaction then rolled back would go on encrypting other
  // writes for minutes while the database held another key for the same version — ciphertext
  // no other process, and this one after the cache expired, could ever open.
  const keysMadeIn = new WeakMap<Trx, Map<number, TenantKey>>();

  async function loadKey(trx: Trx, tenantId: string, version: number): Promise<TenantKey> {
    const row = await trx.selectFrom('tenantDataKey').select(['wrappedKey']).where('tenantId', '=', tenantId).where('version', '=', version).executeTakeFirst();
    if (!row) throw new FieldDecryptionError(`Workspace ${tenantId} has no key version ${version} (deleted with the workspace?)`);
    const dataKey = await keyWrapper.unwrap(Buffer.from(row.wrappedKey), { tenantId, version });
    return { dataKey, indexKey: deriveIndexKey(dataKey) };
  }

  function loadAndCache(trx: Trx, tenantId: string, version: number, cacheKey: string): Promise<TenantKey> {
    return loadKey(trx, tenantId, version).then((key) => {
      keyCache.set(cacheKey, key);
      return key;
    });
  }

  async function keyOf(trx: Trx, tenantId: string, version: number): Promise<TenantKey> {
    const madeHere = keysMadeIn.get(trx)?.get(version);
    if (madeHere) return madeHere;
    const cacheKey = `${tenantId}:${version}`;
    const cached = keyCache.get(cacheKey);
    if (cached) return cached;
    const pending = pendingKeys.get(cacheKey);
    if (pending) return pending.catch(() => loadAndCache(trx, tenantId, version, cacheKey));
    const lookup = loadAndCache(trx, tenantId, version, cacheKey).finally(() => pendingKeys.delete(cacheKey));
    pendingKeys.set(cacheKey, lookup);
    return lookup;
  }

  /** Makes the next key version; the caller's transaction commits it. */
  async function createKeyVersion(trx: Trx, tenantId: string): Promise<number> {
    const { rows } = await sql<{ next: number }>`
      select coalesce(max(version), 0) + 1 as next from tenant_data_key where tenant_id = ${tenantId}`.execute(trx);
    const version = Number(rows[0].next);
    const dataKey = crypto.randomBytes(32);
    const wrappedKey = await keyWrapper.wrap(dataKey, { tenantId, version });
    // Two first writers race to make version 1: the loser keeps the winner's key.
    const [inserted] = await trx.insertInto('tenantDataKey').values({ tenantId, version, wrappedKey, wrappedBy: keyWrapper.name, retiredAt: null })
      .onConflict((conflict) => conflict.doNothing()).execute();
    if ((inserted?.numInsertedOrUpdatedRows ?? 0n) > 0n) {
      const made = keysMadeIn.get(trx) ?? new Map<number, TenantKey>();
      made.set(version, { dataKey, indexKey: deriveIndexKey(dataKey) });
      keysMadeIn.set(trx, made);
    }
    return version;
  }

  async function readState(trx: Trx, tenantId: string) {
    const { rows } = await sql<{ fields: string[] | null; versions: number[] }>`
      select (select fields from tenant_encryption_setting where tenant_id = ${tenantId}) as fields,
             coalesce((select array_agg(version order by version desc) from tenant_data_key
                       where tenant_id = ${tenantId} and retired_at is null), '{}') as versions`.execute(trx);
    return { fields: rows[0].fields ?? defaultSensitiveFields, versions: rows[0].versions.map(Number) };
  }

  async function cipherFor(trx: Trx, tenantId: string, { forWriting = false, withKey = false } = {}): Promise<TenantCipher> {
    const state = await readState(trx, tenantId);
    const sensitive = new Set(state.fields);
    if (forWriting && (sensitive.size > 0 || withKey) && state.versions.length === 0) {
      await createKeyVersion(trx, tenantId);
      state.versions = (await readState(trx, tenantId)).versions;
    }
    const current = state.versions[0];
    const activeKeys = await Promise.all(state.versions.map((version) => keyOf(trx, tenantId, version)));
    return {
      isSensitive: (field) => sensitive.has(field),
      encrypt(field, plaintext) {
        if (current === undefined) throw new Error('cipherFor was not asked for writing with a key');
        return encryptValue(activeKeys[0].dataKey, current, tenantId, field, plaintext);
      },
      seal(field, plaintext) {
        if (plaintext === null || !sensitive.has(field)) return { value: plaintext, index: null };
        if (current === undefined) throw new Error('cipherFor was not asked for writing');
        const key = activeKeys[0];
        return { value: encryptValue(key.dataKey, current, tenantId, field, plaintext), index: blindIndex(key.indexKey, field, plaintext) };
      },
      open: (field, stored) => openValue(trx, tenantId, field, stored),
      isCurrent: (ciphertext) => keyVersionOf(ciphertext) === current,
      needsRewrite(field, stored) {
        if (stored === null) return false;
        return sensitive.has(field) ? keyVersionOf(stored) !== current : isCiphertext(stored);
      },
      searchIndexes(field, values) {
        if (!sensitive.has(field)) return [];
        return activeKeys.flatMap((key) => values.map((value) => blindIndex(key.indexKey, field, value)));
      },
    };
  }

  const selectableFields = () => [...fields.values()].filter((field) => field.isSelectable !== false).map((field) => field.name);

  async function openValue(trx: Trx, tenantId: string, field: string, stored: string | null): Promise<string | null> {
    if (stored === null || !isCiphertext(stored)) return stored;
    const key = await keyOf(trx, tenantId, keyVersionOf(stored)!);
    return decryptValue(key.dataKey, tenantId, field, stored);
  }

  async function readSettings(tenantId: string): Promise<EncryptionSettings> {
    return database.readTenant(tenantId, async (trx) => {
      const { fields: sensitive } = await readState(trx, tenantId);
      const keys = await trx.selectFrom('tenantDataKey').select(['version', 'createdAt', 'retiredAt'])
        .where('tenantId', '=', tenantId).orderBy('version').execute();
      return {
        fields: sensitive,
        availableFields: selectableFields(),
        keys: keys.map((key) => ({ version: key.version, createdAt: key.createdAt.toISOString(), retiredAt: key.retiredAt?.toISOString() ?? null })),
      };
    });
  }

  /** Brings every registered field's values to the current settings and key, then retires older keys. */
  async function convertTenant(tenantId: string): Promise<{ changed: number }> {
    let total = 0;
    // A write that began before a new key version committed can still land with the old one,
    // so passes repeat until one changes nothing (at most a few).
    for (let pass = 0; pass < 5; pass++) {
      let changed = 0;
      for (const field of fields.values()) {
        let afterId: string | null = null;
        do {
          const batch: { lastId: string | null; changed: number } = await field.convertBatch(tenantId, afterId, batchSize);
          changed += batch.changed;
          afterId = batch.lastId;
        } while (afterId);
      }
      total += changed;
      if (changed === 0) break;
    }
    await database.forTenant(tenantId, (trx) => sql`
      update tenant_data_key set retired_at = now()
      where tenant_id = ${tenantId} and retired_at is null
        and version < (select max(version) from tenant_data_key where tenant_id = ${tenantId})`.execute(trx));
    return { changed: total };
  }

  return {
    registerField(field: EncryptedField) {
      fields.set(field.name, field);
    },
    cipherFor,
    /** Decrypts one stored value (get and list need nothing else). */
    decrypt: openValue,
    convertTenant,

    getSettings(actor: Actor): Promise<EncryptionSettings> {
      assertAdministrator(actor);
      return readSettings(actor.tenantId);
    },

    async updateSettings(actor: Actor, requested: string[]): Promise<EncryptionSettings & { jobId: string | null }> {
      assertAdministrator(actor);
      const unknown = requested.filter((field) => !selectableFields().includes(field));
      if (unknown.length) {
        throw new FieldError('encryption.unknown_field', 'fields', `Cannot encrypt ${unknown.join(', ')}; encryptable fields: ${selectableFields().join(', ')}`);
      }
      const wanted = [...new Set(requested)].sort();
      const changed = await database.forTenant(actor.tenantId, async (trx) => {
        const { fields: previous } = await readState(trx, actor.tenantId);
        await trx.insertInto('tenantEncryptionSetting').values({ tenantId: actor.tenantId, fields: wanted })
          .onConflict((conflict) => conflict.column('tenantId').doUpdateSet({ fields: wanted, updatedAt: new Date() })).execute();
        return [...previous].sort().join() !== wanted.join();
      });
      const jobId = changed ? await jobs.send(convertFieldsJob, { tenantId: actor.tenantId }) : null;
      return merged(await readSettings(actor.tenantId), { jobId });
    },

    /** Makes a new key version (new writes use it at once) and schedules re-encryption. */
    async requestRotation(actor: Actor): Promise<{ jobId: string | null; keyVersion: number }> {
      assertAdministrator(actor);
      const keyVersion = await database.forTenant(actor.tenantId, (trx) => createKeyVersion(trx, actor.tenantId));
      return { jobId: await jobs.send(convertFieldsJob, { tenantId: actor.tenantId }), keyVersion };
    },

    /** For `rapport keys rotate`: the same, run here and now. */
    async rotateNow(tenantId: string): Promise<{ keyVersion: number; changed: number }> {
      const keyVersion = await database.forTenant(tenantId, async (trx) => {
        if (!await trx.selectFrom('tenant').select('id').where('id', '=', tenantId).executeTakeFirst()) throw new NotFoundError('workspace', tenantId);
        return createKeyVersion(trx, tenantId);
      });
      return { keyVersion, ...await convertTenant(tenantId) };
    },

    /**
     * Deletes the workspace and everything in it. Its data keys go with it, so its ciphertext
     * in earlier backups can no longer be read by anyone: crypto-shredding.
     */
    async deleteWorkspace(actor: Actor, confirm: string): Promise<void> {
      if (actor.role !== 'owner') throw new ForbiddenError('auth.forbidden', 'Only the workspace owner may delete the workspace');
      await database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await trx.selectFrom('tenant').select('slug').where('id', '=', actor.tenantId).executeTakeFirstOrThrow();
        if (confirm !== tenant.slug) {
          throw new FieldError('workspace.confirmation_mismatch', 'confirm', `Type the workspace's slug, "${tenant.slug}", to confirm`);
        }
        await trx.deleteFrom('tenant').where('id', '=', actor.tenantId).execute();
      });
      for (const cacheKey of keyCache.keys()) if (cacheKey.startsWith(`${actor.tenantId}:`)) keyCache.delete(cacheKey);
      onWorkspaceDeleted?.(actor.tenantId);
    },
  };
}

export type FieldEncryption = ReturnType<typeof createFieldEncryption>;
