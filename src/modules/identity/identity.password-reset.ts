// Setting a new password: by an emailed reset link, or by the signed-in user who knows the
// current one. A reset request always answers the same way and only queues a job with the
// email, so neither the answer nor its timing tells whether an account exists; the job finds
// the accounts, creates a single-use token (stored as SHA-256, valid 30 minutes) and mails the
// link. A new password ends every other session of the user.
import { uuidv7 } from 'uuidv7';
import { systemActor, type Actor } from '../../platform/actor.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { FieldError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail.js';
import { assertPasswordAllowed } from './identity.password-policy.js';
import { hashPassword, verifyPassword } from './identity.passwords.js';
import { identityRepository } from './identity.repository.js';
import type { PasswordChangeBody, PasswordResetConfirmBody } from './identity.security.schemas.js';
import { securityRepository as repository } from './identity.security.repository.js';
import type { IdentityService } from './identity.service.js';
import { hashSecret, newSecret } from './identity.tokens.js';

export const sendPasswordResetJob = 'identity.send-password-reset';
export interface PasswordResetJobData {
  email: string;
  baseUrl: string;
}

const tokenTtlMinutes = 30;
// At most this many links per account per token lifetime: a reset form is no way to flood a mailbox.
const maxTokensPerTtl = 3;

const invalidToken = () => new FieldError('auth.reset_token_invalid', 'token', 'This reset link has expired or has been used; ask for a new one');
const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';

/**
 * Where the emailed link points. RAPPORT_PUBLIC_URL when set. Otherwise the request's own
 * address only when it is a loopback one: the Host header is the caller's to choose, and a
 * link to a host an attacker picks would hand them the victim's token.
 */
export function resetLinkBase(publicUrl: string | undefined, requestOrigin: string, fallbackUrl: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  try {
    if (isLoopback(new URL(requestOrigin).hostname)) return requestOrigin;
  } catch {
    // A malformed Host header: use the fallback.
  }
  return fallbackUrl;
}

export function createPasswordService({ database, identity, jobs, mailer }: {
  database: Database;
  identity: Pick<IdentityService, 'evictAuthentications'>;
  jobs: JobRunner;
  mailer: Mailer;
}) {
  /** Stores the new password and ends the user's sessions but one; returns the hashes to evict. */
  async function storePassword(trx: Trx, actor: Actor, userId: string, passwordHash: string, how: string, keepTokenHash?: Buffer) {
    await repository.updatePasswordHash(trx, userId, passwordHash);
    await repository.expirePasswordResetTokens(trx, userId);
    const revoked = await repository.revokeUserSessions(trx, userId, keepTokenHash);
    await appendChange(trx, actor, { entity: 'user', entityId: userId, operation: 'update', after: { password: how, sessionsEnded: revoked.length } });
  }

  return {
    async requestReset(email: string, baseUrl: string): Promise<void> {
      await jobs.send(sendPasswordResetJob, { email: email.trim().toLowerCase(), baseUrl } satisfies PasswordResetJobData);
    },

    /** The job: one link per account with this email (normally one). Runs outside any request. */
    async deliverReset({ email, baseUrl }: PasswordResetJobData): Promise<void> {
      const users = await database.forAuthLookup((trx) => identityRepository.listUsersByEmail(trx, email));
      for (const user of users) {
        const token = newSecret();
        const tenant = await database.forTenant(user.tenantId, async (trx) => {
          const since = new Date(Date.now() - tokenTtlMinutes * 60_000);
          if ((await repository.countRecentPasswordResetTokens(trx, user.id, since)) >= maxTokensPerTtl) return undefined;
          const id = uuidv7();
          const expiresAt = new Date(Date.now() + tokenTtlMinutes * 60_000);
          await repository.insertPasswordResetToken(trx, { tenantId: user.tenantId, id, tokenHash: hashSecret(token), userId: user.id, expiresAt });
          await appendChange(trx, systemActor(user.tenantId, 'password reset'), { entity: 'password_reset', entityId: id, operation: 'create', after: { userId: user.id, expiresAt } });
          return identityRepository.findTenant(trx, user.tenantId);
        });
        if (!tenant) continue;
        const link = `${baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
        await mailer.send({
          to: user.email,
          subject: 'Reset your Rapport password',
          text: [
            `Hello ${user.name},`, '',
            `Someone asked to reset the password of your account in the workspace "${tenant.name}".`,
            `To choose a new password, open this link within ${tokenTtlMinutes} minutes:`, '', link, '',
            'If it was not you, ignore this email: your password stays as it is.',
          ].join('\n'),
        });
      }
    },

    async confirmReset(input: PasswordResetConfirmBody, ip: string | null): Promise<void> {
      const tokenHash = hashSecret(input.token);
      const row = await database.forAuthLookup((trx) => repository.findPasswordResetToken(trx, tokenHash));
      if (!row || row.usedAt || row.expiresAt <= new Date()) throw invalidToken();
      const found = await database.forTenant(row.tenantId, async (trx) => ({
        user: await identityRepository.findUser(trx, row.userId),
        tenant: await identityRepository.findTenant(trx, row.tenantId),
      }));
      if (!found.user || !found.tenant || found.user.disabledAt) throw invalidToken();
      assertPasswordAllowed(input.password, { email: found.user.email, workspaceName: found.tenant.name });
      const passwordHash = await hashPassword(input.password);
      const user = found.user;
      await database.forTenant(row.tenantId, async (trx) => {
        // Using the token is the guard: of two confirmations at once, only one updates it.
        if (!(await repository.usePasswordResetToken(trx, row.id))) throw invalidToken();
        const actor: Actor = { tenantId: user.tenantId, userId: user.id, name: user.name, type: 'user', role: user.role, ip: ip ?? undefined };
        await storePassword(trx, actor, user.id, passwordHash, 'reset');
      });
      identity.evictAuthentications({ userId: user.id });
    },

    /** The signed-in user changes their password; their other sessions end, this one stays. */
    async changePassword(actor: Actor, input: PasswordChangeBody, currentTokenHash: Buffer | undefined): Promise<void> {
      if (!actor.userId || actor.type !== 'user') throw new ForbiddenError('auth.user_required', 'Only a signed-in user can change their password');
      const userId = actor.userId;
      const found = await database.forTenant(actor.tenantId, async (trx) => ({
        user: await identityRepository.findUser(trx, userId),
        tenant: await identityRepository.findTenant(trx, actor.tenantId),
      }));
      if (!found.user || !found.tenant) throw new NotFoundError('user', userId);
      if (!(await verifyPassword(found.user.passwordHash, input.currentPassword))) {
        throw new FieldError('auth.current_password_wrong', 'currentPassword', 'The current password is wrong');
      }
      assertPasswordAllowed(input.password, { email: found.user.email, workspaceName: found.tenant.name });
      const passwordHash = await hashPassword(input.password);
      await database.forTenant(actor.tenantId, (trx) => storePassword(trx, actor, userId, passwordHash, 'changed', currentTokenHash));
      identity.evictAuthentications({ userId });
    },

    /** Deletes reset tokens and sign-in challenges a day after they expired (a scheduled job). */
    async purgeExpiredTokens(): Promise<number> {
      const before = new Date(Date.now() - 86_400_000);
      const tenantIds = await database.forAuthLookup((trx) => repository.listTenantIdsWithExpiredChallengesOrTokens(trx, before));
      let purged = 0;
      for (const tenantId of tenantIds) purged += await database.forTenant(tenantId, (trx) => repository.deleteExpiredChallengesAndTokens(trx, before));
      return purged;
    },
  };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
