// Reads and writes of the sign-in security tables: user_totp, totp_recovery_code,
// mfa_challenge, password_reset_token, sign_in_attempt, plus the session listing and the
// password and two-factor columns of app_user and tenant. Lookups by token hash and the
// sign_in_attempt table only work inside Database.forAuthLookup.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db.js';

export interface AttemptCounts {
  pairFailures: number;
  pairLastFailureAt: Date | null;
  addressFailures: number;
  addressLastFailureAt: Date | null;
  accountFailures: number;
  accountLastFailureAt: Date | null;
  isKnownAddress: boolean;
}

const sessionColumns = ['id', 'userId', 'createdAt', 'expiresAt', 'ip', 'userAgent', 'tokenHash'] as const;

export const securityRepository = {
  // sign_in_attempt (forAuthLookup only)
  insertSignInAttempt(trx: Trx, attempt: { id: string; email: string; ip: string; succeeded: boolean }) {
    return trx.insertInto('signInAttempt').values(attempt).execute();
  },

  /** Failures in the window for the address+account pair, the address and the account; and whether the address is one the account signed in from. */
  async countSignInAttempts(trx: Trx, email: string, ip: string, windowStart: Date, knownSince: Date): Promise<AttemptCounts> {
    const { rows } = await sql<{ pairFailures: number; pairLast: Date | null; addressFailures: number; addressLast: Date | null; accountFailures: number; accountLast: Date | null; known: boolean | null }>`
      select
        count(*) filter (where not succeeded and at > ${windowStart} and email = ${email} and ip = ${ip})::int as pair_failures,
        max(at) filter (where not succeeded and at > ${windowStart} and email = ${email} and ip = ${ip}) as pair_last,
        count(*) filter (where not succeeded and at > ${windowStart} and ip = ${ip})::int as address_failures,
        max(at) filter (where not succeeded and at > ${windowStart} and ip = ${ip}) as address_last,
        count(*) filter (where not succeeded and at > ${windowStart} and email = ${email})::int as account_failures,
        max(at) filter (where not succeeded and at > ${windowStart} and email = ${email}) as account_last,
        bool_or(succeeded and email = ${email} and ip = ${ip}) as known
      from sign_in_attempt
      where (email = ${email} or ip = ${ip}) and at > ${knownSince}`.execute(trx);
    const row = rows[0];
    return {
      pairFailures: row.pairFailures, pairLastFailureAt: row.pairLast,
      addressFailures: row.addressFailures, addressLastFailureAt: row.addressLast,
      accountFailures: row.accountFailures, accountLastFailureAt: row.accountLast,
      isKnownAddress: row.known === true,
    };
  },

  async deleteSignInAttemptsBefore(trx: Trx, before: Date): Promise<number> {
    const result = await trx.deleteFrom('signInAttempt').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  // two-factor
  findTotp(trx: Trx, userId: string) {
    return trx.selectFrom('userTotp').selectAll().where('userId', '=', userId).executeTakeFirst();
  },

  async hasEnabledTotp(trx: Trx, userId: string): Promise<boolean> {
    return (await trx.selectFrom('userTotp').select('id').where('userId', '=', userId).where('enabledAt', 'is not', null).executeTakeFirst()) !== undefined;
  },

  /** A new pending secret replaces any earlier pending one; an enabled one is never replaced here. */
  upsertPendingTotp(trx: Trx, totp: { tenantId: string; id: string; userId: string; secret: string }) {
    return trx.insertInto('userTotp').values(totp)
      .onConflict((conflict) => conflict.columns(['tenantId', 'userId']).doUpdateSet({ secret: totp.secret, createdAt: new Date(), lastUsedStep: null }).where('userTotp.enabledAt', 'is', null))
      .execute();
  },

  setTotpSecret(trx: Trx, userId: string, secret: string) {
    return trx.updateTable('userTotp').set({ secret }).where('userId', '=', userId).execute();
  },

  /** The workspace's stored secrets in id order after `afterId`, for re-encryption. */
  listTotpSecretsAfter(trx: Trx, tenantId: string, afterId: string | null, limit: number) {
    let query = trx.selectFrom('userTotp').select(['id', 'userId', 'secret']).where('tenantId', '=', tenantId);
    if (afterId) query = query.where('id', '>', afterId);
    return query.orderBy('id').limit(limit).execute();
  },

  enableTotp(trx: Trx, userId: string, step: number) {
    return trx.updateTable('userTotp').set({ enabledAt: new Date(), lastUsedStep: step }).where('userId', '=', userId).where('enabledAt', 'is', null).execute();
  },

  /** Accepts a step only if it is later than the last accepted one: no code works twice. */
  async advanceTotpStep(trx: Trx, userId: string, step: number): Promise<boolean> {
    const result = await trx.updateTable('userTotp').set({ lastUsedStep: step }).where('userId', '=', userId)
      .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', String(step))])).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async deleteTotp(trx: Trx, userId: string) {
    await trx.deleteFrom('totpRecoveryCode').where('userId', '=', userId).execute();
    await trx.deleteFrom('userTotp').where('userId', '=', userId).execute();
  },

  async replaceRecoveryCodes(trx: Trx, tenantId: string, userId: string, codes: Array<{ id: string; codeHash: Buffer }>) {
    await trx.deleteFrom('totpRecoveryCode').where('userId', '=', userId).execute();
    await trx.insertInto('totpRecoveryCode').values(codes.map((code) => ({ tenantId, userId, ...code }))).execute();
  },

  async useRecoveryCode(trx: Trx, userId: string, codeHash: Buffer): Promise<boolean> {
    const result = await trx.updateTable('totpRecoveryCode').set({ usedAt: new Date() })
      .where('userId', '=', userId).where('codeHash', '=', codeHash).where('usedAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async countUnusedRecoveryCodes(trx: Trx, userId: string): Promise<number> {
    const row = await trx.selectFrom('totpRecoveryCode').select((eb) => eb.fn.countAll<string>().as('count'))
      .where('userId', '=', userId).where('usedAt', 'is', null).executeTakeFirstOrThrow();
    return Number(row.count);
  },

  setTenantRequireTotp(trx: Trx, tenantId: string, requireTotp: boolean) {
    return trx.updateTable('tenant').set({ requireTotp }).where('id', '=', tenantId).execute();
  },

  // the step between password and second factor
  insertMfaChallenge(trx: Trx, challenge: { tenantId: string; id: string; tokenHash: Buffer; userId: string; expiresAt: Date }) {
    return trx.insertInto('mfaChallenge').values(challenge).execute();
  },

  findMfaChallenge(trx: Trx, tokenHash: Buffer) {
    return trx.selectFrom('mfaChallenge').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
  },

  /** Counts a try and returns the challenge while it is still usable (locked against a parallel try). */
  async claimMfaChallengeAttempt(trx: Trx, id: string, maxAttempts: number) {
    return trx.updateTable('mfaChallenge').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id).where('usedAt', 'is', null).where('expiresAt', '>', new Date()).where('attempts', '<', maxAttempts)
      .returning(['id', 'userId', 'attempts']).executeTakeFirst();
  },

  markMfaChallengeUsed(trx: Trx, id: string) {
    return trx.updateTable('mfaChallenge').set({ usedAt: new Date() }).where('id', '=', id).execute();
  },

  // password reset
  insertPasswordResetToken(trx: Trx, token: { tenantId: string; id: string; tokenHash: Buffer; userId: string; expiresAt: Date }) {
    return trx.insertInto('passwordResetToken').values(token).execute();
  },

  async countRecentPasswordResetTokens(trx: Trx, userId: string, since: Date): Promise<number> {
    const row = await trx.selectFrom('passwordResetToken').select((eb) => eb.fn.countAll<string>().as('count'))
      .where('userId', '=', userId).where('createdAt', '>', since).executeTakeFirstOrThrow();
    return Number(row.count);
  },

  findPasswordResetToken(trx: Trx, tokenHash: Buffer) {
    return trx.selectFrom('passwordResetToken').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
  },

  /** Uses the token if it is still unused and unexpired; true when this call used it. */
  async usePasswordResetToken(trx: Trx, id: string): Promise<boolean> {
    const result = await trx.updateTable('passwordResetToken').set({ usedAt: new Date() })
      .where('id', '=', id).where('usedAt', 'is', null).where('expiresAt', '>', new Date()).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** A new password makes every other outstanding reset link for the user worthless. */
  expirePasswordResetTokens(trx: Trx, userId: string) {
    return trx.updateTable('passwordResetToken').set({ usedAt: new Date() }).where('userId', '=', userId).where('usedAt', 'is', null).execute();
  },

  async deleteExpiredChallengesAndTokens(trx: Trx, before: Date): Promise<number> {
    const challenges = await trx.deleteFrom('mfaChallenge').where('expiresAt', '<', before).executeTakeFirst();
    const tokens = await trx.deleteFrom('passwordResetToken').where('expiresAt', '<', before).executeTakeFirst();
    return Number(challenges.numDeletedRows) + Number(tokens.numDeletedRows);
  },

  async listTenantIdsWithExpiredChallengesOrTokens(trx: Trx, before: Date): Promise<string[]> {
    const rows = await trx.selectFrom('mfaChallenge').select('tenantId').where('expiresAt', '<', before)
      .union(trx.selectFrom('passwordResetToken').select('tenantId').where('expiresAt', '<', before)).execute();
    return rows.map((row) => row.tenantId);
  },

  // passwords and sessions
  updatePasswordHash(trx: Trx, userId: string, passwordHash: string) {
    return trx.updateTable('appUser').set({ passwordHash, updatedAt: new Date() }).where('id', '=', userId).execute();
  },

  listActiveSessions(trx: Trx, userId: string) {
    return trx.selectFrom('session').select(sessionColumns).where('userId', '=', userId)
      .where('revokedAt', 'is', null).where('expiresAt', '>', new Date()).orderBy('createdAt', 'desc').limit(200).execute();
  },

  revokeSessionById(trx: Trx, userId: string, id: string) {
    return trx.updateTable('session').set({ revokedAt: new Date() }).where('id', '=', id).where('userId', '=', userId)
      .where('revokedAt', 'is', null).where('expiresAt', '>', new Date()).returning(sessionColumns).executeTakeFirst();
  },

  /** Revokes the user's sessions except the one given; returns the token hashes to evict from caches. */
  async revokeUserSessions(trx: Trx, userId: string, exceptTokenHash?: Buffer): Promise<Buffer[]> {
    let query = trx.updateTable('session').set({ revokedAt: new Date() }).where('userId', '=', userId).where('revokedAt', 'is', null);
    if (exceptTokenHash) query = query.where('tokenHash', '!=', exceptTokenHash);
    return (await query.returning('tokenHash').execute()).map((row) => row.tokenHash);
  },
};
