// Reads and writes of sso_oidc_setting, sso_saml_setting and sso_login_attempt, plus the
// user and workspace lookups single sign-on needs. Every query names its tenant as well as
// relying on row-level security; the by-slug and by-state reads work inside forAuthLookup.
import type { Insertable, Selectable } from 'kysely';
import type { SsoLoginAttemptTable, SsoOidcSettingTable, SsoSamlSettingTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';

export type OidcSettingRow = Selectable<SsoOidcSettingTable>;
export type SamlSettingRow = Selectable<SsoSamlSettingTable>;
export type LoginAttemptRow = Selectable<SsoLoginAttemptTable>;

type OidcSettingValues = Omit<Insertable<SsoOidcSettingTable>, 'createdAt' | 'updatedAt'>;
type SamlSettingValues = Omit<Insertable<SsoSamlSettingTable>, 'createdAt' | 'updatedAt'>;

export const ssoRepository = {
  findTenantBySlug(trx: Trx, slug: string) {
    return trx.selectFrom('tenant').select(['id', 'name', 'slug']).where('slug', '=', slug).executeTakeFirst();
  },

  findOidcSetting(trx: Trx, tenantId: string) {
    return trx.selectFrom('ssoOidcSetting').selectAll().where('tenantId', '=', tenantId).executeTakeFirst();
  },

  /** Creates the workspace's OIDC settings or replaces them; one row per workspace. */
  saveOidcSetting(trx: Trx, values: OidcSettingValues) {
    const { tenantId: _tenantId, id: _id, ...changes } = values;
    return trx.insertInto('ssoOidcSetting').values(values)
      .onConflict((conflict) => conflict.column('tenantId').doUpdateSet(merged(changes, { updatedAt: new Date() })))
      .returningAll().executeTakeFirstOrThrow();
  },

  /** Re-encryption only: the settings' updatedAt stays as the administrator left it. */
  setOidcClientSecret(trx: Trx, tenantId: string, clientSecret: string) {
    return trx.updateTable('ssoOidcSetting').set({ clientSecret }).where('tenantId', '=', tenantId).execute();
  },

  findSamlSetting(trx: Trx, tenantId: string) {
    return trx.selectFrom('ssoSamlSetting').selectAll().where('tenantId', '=', tenantId).executeTakeFirst();
  },

  saveSamlSetting(trx: Trx, values: SamlSettingValues) {
    const { tenantId: _tenantId, id: _id, ...changes } = values;
    return trx.insertInto('ssoSamlSetting').values(values)
      .onConflict((conflict) => conflict.column('tenantId').doUpdateSet(merged(changes, { updatedAt: new Date() })))
      .returningAll().executeTakeFirstOrThrow();
  },

  insertLoginAttempt(trx: Trx, attempt: Insertable<SsoLoginAttemptTable>) {
    return trx.insertInto('ssoLoginAttempt').values(attempt).execute();
  },

  /** The OIDC sign-in a callback's state belongs to, in any workspace (auth lookup). */
  findOidcAttemptByStateHash(trx: Trx, stateHash: Buffer) {
    return trx.selectFrom('ssoLoginAttempt').selectAll()
      .where('stateHash', '=', stateHash).where('protocol', '=', 'oidc').where('expiresAt', '>', new Date())
      .executeTakeFirst();
  },

  /** Removes an attempt and says whether it was still there, so each attempt is used once. */
  async deleteLoginAttempt(trx: Trx, tenantId: string, id: string): Promise<boolean> {
    const deleted = await trx.deleteFrom('ssoLoginAttempt').where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  },

  findSamlAttempt(trx: Trx, tenantId: string, requestId: string) {
    return trx.selectFrom('ssoLoginAttempt').select(['id', 'requestedAt'])
      .where('tenantId', '=', tenantId).where('protocol', '=', 'saml').where('requestId', '=', requestId)
      .where('expiresAt', '>', new Date())
      .executeTakeFirst();
  },

  deleteSamlAttempt(trx: Trx, tenantId: string, requestId: string) {
    return trx.deleteFrom('ssoLoginAttempt').where('tenantId', '=', tenantId).where('protocol', '=', 'saml')
      .where('requestId', '=', requestId).returning(['requestedAt']).executeTakeFirst();
  },

  async deleteExpiredLoginAttempts(trx: Trx, tenantId: string): Promise<number> {
    const deleted = await trx.deleteFrom('ssoLoginAttempt').where('tenantId', '=', tenantId).where('expiresAt', '<=', new Date()).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },

  /** A user of this workspace by email, disabled ones included (they must not be re-created). */
  findUserByEmail(trx: Trx, tenantId: string, email: string) {
    return trx.selectFrom('appUser').selectAll().where('tenantId', '=', tenantId).where('email', '=', email).executeTakeFirst();
  },

  /** A user who signs in only through single sign-on: no password. */
  insertUser(trx: Trx, user: { tenantId: string; id: string; email: string; name: string; role: string }) {
    return trx.insertInto('appUser').values(merged(user, { passwordHash: null })).returningAll().executeTakeFirstOrThrow();
  },
};
