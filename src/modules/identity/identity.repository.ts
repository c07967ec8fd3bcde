// Reads and writes of tenant, app_user, session and api_key. Cross-tenant lookups (by email
// or by token hash) only work inside Database.forAuthLookup.
import type { Selectable } from 'kysely';
import type { AppUserTable, TenantTable } from '../../db/schema.js';
import type { Trx } from '../../platform/db.js';

export type UserRow = Selectable<AppUserTable>;
export type TenantRow = Selectable<TenantTable>;

export interface AuthenticatedRow {
  tenantId: string;
  userId: string;
  userName: string;
  role: string;
  expiresAt?: Date;
  /** The workspace requires two-factor sign-in and the user has not set it up (sessions only). */
  totpSetupRequired?: boolean;
}

export const identityRepository = {
  insertTenant(trx: Trx, tenant: { id: string; name: string; slug: string }) {
    return trx.insertInto('tenant').values(tenant).returningAll().executeTakeFirstOrThrow();
  },

  findTenant(trx: Trx, id: string) {
    return trx.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async hasAnyTenant(trx: Trx): Promise<boolean> {
    return (await trx.selectFrom('tenant').select('id').limit(1).executeTakeFirst()) !== undefined;
  },

  insertUser(trx: Trx, user: { tenantId: string; id: string; email: string; name: string; passwordHash: string; role: string }) {
    return trx.insertInto('appUser').values(user).returningAll().executeTakeFirstOrThrow();
  },

  findUser(trx: Trx, id: string) {
    return trx.selectFrom('appUser').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Users with this email in any workspace, oldest first. */
  listUsersByEmail(trx: Trx, email: string) {
    return trx.selectFrom('appUser').selectAll().where('email', '=', email).where('disabledAt', 'is', null)
      .orderBy('createdAt').limit(20).execute();
  },

  insertSession(trx: Trx, session: { tenantId: string; id: string; tokenHash: Buffer; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null }) {
    return trx.insertInto('session').values(session).execute();
  },

  findActiveSession(trx: Trx, tokenHash: Buffer): Promise<AuthenticatedRow | undefined> {
    return trx.selectFrom('session as s')
      .innerJoin('appUser as u', (join) => join.onRef('u.tenantId', '=', 's.tenantId').onRef('u.id', '=', 's.userId'))
      .innerJoin('tenant as t', 't.id', 's.tenantId')
      .select(['s.tenantId', 's.userId', 'u.name as userName', 'u.role', 's.expiresAt'])
      .select((eb) => eb.and([eb.ref('t.requireTotp'), eb.not(eb.exists(eb.selectFrom('userTotp as ut').select('ut.id')
        .whereRef('ut.tenantId', '=', 's.tenantId').whereRef('ut.userId', '=', 's.userId').where('ut.enabledAt', 'is not', null)))]).$castTo<boolean>().as('totpSetupRequired'))
      .where('s.tokenHash', '=', tokenHash)
      .where('s.revokedAt', 'is', null)
      .where('s.expiresAt', '>', new Date())
      .where('u.disabledAt', 'is', null)
      .executeTakeFirst();
  },

  revokeSession(trx: Trx, tokenHash: Buffer) {
    return trx.updateTable('session').set({ revokedAt: new Date() }).where('tokenHash', '=', tokenHash).where('revokedAt', 'is', null).execute();
  },

  async listTenantIdsWithExpiredSessions(trx: Trx, before: Date): Promise<string[]> {
    const rows = await trx.selectFrom('session').select('tenantId').distinct().where('expiresAt', '<', before).execute();
    return rows.map((row) => row.tenantId);
  },

  async deleteExpiredSessions(trx: Trx, before: Date): Promise<number> {
    const result = await trx.deleteFrom('session').where('expiresAt', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  insertApiKey(trx: Trx, key: { tenantId: string; id: string; name: string; prefix: string; secretHash: Buffer; userId: string; role: string | null }) {
    return trx.insertInto('apiKey').values(key).returning(['id', 'name', 'prefix', 'role', 'createdAt']).executeTakeFirstOrThrow();
  },

  listApiKeys(trx: Trx) {
    return trx.selectFrom('apiKey').select(['id', 'name', 'prefix', 'role', 'createdAt']).where('revokedAt', 'is', null).orderBy('createdAt', 'desc').limit(500).execute();
  },

  findActiveApiKey(trx: Trx, secretHash: Buffer): Promise<AuthenticatedRow | undefined> {
    return trx.selectFrom('apiKey as k')
      .innerJoin('appUser as u', (join) => join.onRef('u.tenantId', '=', 'k.tenantId').onRef('u.id', '=', 'k.userId'))
      // A key bound to a role acts with that role; otherwise with its creator's.
      .select((eb) => ['k.tenantId', 'k.userId', 'u.name as userName', eb.fn.coalesce('k.role', 'u.role').as('role')])
      .where('k.secretHash', '=', secretHash)
      .where('k.revokedAt', 'is', null)
      .where('u.disabledAt', 'is', null)
      .executeTakeFirst();
  },

  revokeApiKey(trx: Trx, id: string) {
    return trx.updateTable('apiKey').set({ revokedAt: new Date() }).where('id', '=', id).where('revokedAt', 'is', null)
      .returning(['id', 'name', 'prefix', 'secretHash']).executeTakeFirst();
  },
};
