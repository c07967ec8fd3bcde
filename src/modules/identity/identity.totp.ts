// TOTP two-factor sign-in (RFC 6238 through otpauth): setting it up, turning it on and off,
// the second step of sign-in, recovery codes, and the workspace rule that requires it.
// A code is accepted one 30-second step either side of now, and never twice (last_used_step).
// Secrets are shown only by setup and stored encrypted with the workspace's data key (field
// encryption, as a sensitive field whatever the workspace's field list says); one stored before
// that is read as it is and encrypted at its next use or key rotation. Recovery codes are shown
// once and stored as SHA-256.
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { isCiphertext } from '../../platform/encryption/field-cipher.js';
import { AppError, ConflictError, FieldError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { identityRepository } from './identity.repository.js';
import { securityRepository as repository } from './identity.security.repository.js';
import type { ClientInfo, IdentityService, SignedIn } from './identity.service.js';
import { hashSecret, newSecret } from './identity.tokens.js';

const issuer = 'Rapport';
const periodSeconds = 30;
const recoveryCodeCount = 10;
const challengeTtlMs = 5 * 60_000;
const maxChallengeAttempts = 5;

export type SecondFactorMethod = 'totp' | 'recovery_code';

/** The field name TOTP secrets are encrypted under (bound into each ciphertext). */
export const totpSecretField = 'user.totpSecret';
type Encryption = Pick<FieldEncryption, 'cipherFor' | 'decrypt'>;

function totpFor(secret: string, label = '') {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: periodSeconds, secret: Secret.fromBase32(secret) });
}

/** The 30-second step a code belongs to when it is valid now (one step of clock drift either way). */
export function matchTotpStep(secret: string, code: string, now = Date.now()): number | undefined {
  const delta = totpFor(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : Math.floor(now / 1000 / periodSeconds) + delta;
}

// No 0/o, 1/l/i: recovery codes are read off paper and typed in.
const recoveryAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
function newRecoveryCode(): string {
  const characters = Array.from({ length: 10 }, () => recoveryAlphabet[crypto.randomInt(recoveryAlphabet.length)]);
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}
const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

const wrongCode = () => new FieldError('auth.totp_invalid', 'code', 'The code is wrong or has been used already');
const invalidChallenge = () => new AppError(401, 'auth.mfa_token_invalid', 'The sign-in step has expired or was used; sign in again');

/** Called by sign-in once the password was right: the token for the second step. */
export async function issueMfaChallenge(database: Database, user: { tenantId: string; id: string }): Promise<string> {
  const token = newSecret();
  await database.forTenant(user.tenantId, (trx) => repository.insertMfaChallenge(trx, {
    tenantId: user.tenantId, id: uuidv7(), tokenHash: hashSecret(token), userId: user.id, expiresAt: new Date(Date.now() + challengeTtlMs),
  }));
  return token;
}

function requireUser(actor: Actor): string {
  if (!actor.userId || actor.type !== 'user') throw new ForbiddenError('auth.user_required', 'Only a signed-in user can manage two-factor sign-in');
  return actor.userId;
}

type IdentityForTotp = Pick<IdentityService, 'startSessionFor' | 'evictAuthentications'>;

export function createTotpService({ database, identity, encryption }: { database: Database; identity: IdentityForTotp; encryption: Encryption }) {
  const logTwoFactor = (trx: Trx, actor: Actor, userId: string, before: string, after: string) =>
    appendChange(trx, actor, { entity: 'user', entityId: userId, operation: 'update', before: { twoFactor: before }, after: { twoFactor: after } });

  async function sealSecret(trx: Trx, tenantId: string, secret: string): Promise<string> {
    return (await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true })).encrypt(totpSecretField, secret);
  }

  async function openSecret(trx: Trx, tenantId: string, stored: string): Promise<string> {
    return (await encryption.decrypt(trx, tenantId, totpSecretField, stored))!;
  }

  /** Accepts a current TOTP code or an unused recovery code, using it up. */
  async function useSecondFactor(trx: Trx, tenantId: string, userId: string, code: string): Promise<SecondFactorMethod | undefined> {
    const totp = await repository.findTotp(trx, userId);
    if (!totp?.enabledAt) return undefined;
    const trimmed = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(trimmed)) {
      const secret = await openSecret(trx, tenantId, totp.secret);
      const step = matchTotpStep(secret, trimmed);
      if (step === undefined || !(await repository.advanceTotpStep(trx, userId, step))) return undefined;
      // A secret stored before encryption at rest is encrypted at its first use.
      if (!isCiphertext(totp.secret)) await repository.setTotpSecret(trx, userId, await sealSecret(trx, tenantId, secret));
      return 'totp';
    }
    return (await repository.useRecoveryCode(trx, userId, hashSecret(normaliseRecoveryCode(code)))) ? 'recovery_code' : undefined;
  }

  return {
    async describe(actor: Actor) {
      const userId = requireUser(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const totp = await repository.findTotp(trx, userId);
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        const enabled = Boolean(totp?.enabledAt);
        return { enabled, recoveryCodesLeft: enabled ? await repository.countUnusedRecoveryCodes(trx, userId) : 0, requiredByWorkspace: tenant?.requireTotp ?? false };
      });
    },

    /** A new secret to put in an authenticator app; it works once `enable` proves it. */
    async setup(actor: Actor): Promise<{ secret: string; uri: string }> {
      const userId = requireUser(actor);
      const secret = new Secret({ size: 20 }).base32;
      const user = await database.forTenant(actor.tenantId, async (trx) => {
        if ((await repository.findTotp(trx, userId))?.enabledAt) throw new ConflictError('auth.totp_already_enabled', 'code', 'Two-factor sign-in is on already; turn it off first');
        const found = await identityRepository.findUser(trx, userId);
        if (!found) throw new NotFoundError('user', userId);
        await repository.upsertPendingTotp(trx, { tenantId: actor.tenantId, id: uuidv7(), userId, secret: await sealSecret(trx, actor.tenantId, secret) });
        await logTwoFactor(trx, actor, userId, 'off', 'pending');
        return found;
      });
      return { secret, uri: totpFor(secret, user.email).toString() };
    },

    /** Turns two-factor sign-in on with a first code; answers the recovery codes, shown only here. */
    async enable(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
      const userId = requireUser(actor);
      const recoveryCodes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
      await database.forTenant(actor.tenantId, async (trx) => {
        const totp = await repository.findTotp(trx, userId);
        if (!totp) throw new ConflictError('auth.totp_not_set_up', 'code', 'Start the set-up first');
        if (totp.enabledAt) throw new ConflictError('auth.totp_already_enabled', 'code', 'Two-factor sign-in is on already');
        const step = matchTotpStep(await openSecret(trx, actor.tenantId, totp.secret), code.replace(/\s/g, ''));
        if (step === undefined) throw wrongCode();
        await repository.enableTotp(trx, userId, step);
        await repository.replaceRecoveryCodes(trx, actor.tenantId, userId, recoveryCodes.map((recoveryCode) => ({ id: uuidv7(), codeHash: hashSecret(normaliseRecoveryCode(recoveryCode)) })));
        await logTwoFactor(trx, actor, userId, 'pending', 'on');
      });
      // A session held back until set-up is done may go on at once.
      identity.evictAuthentications({ userId });
      return { recoveryCodes };
    },

    async disable(actor: Actor, code: string): Promise<void> {
      const userId = requireUser(actor);
      const outcome = await database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (tenant?.requireTotp) throw new ConflictError('auth.totp_required', 'code', 'This workspace requires two-factor sign-in');
        const totp = await repository.findTotp(trx, userId);
        if (!totp?.enabledAt) {
          if (totp) {
            await repository.deleteTotp(trx, userId);
            await logTwoFactor(trx, actor, userId, 'pending', 'off');
          }
          return 'off';
        }
        if (!(await useSecondFactor(trx, actor.tenantId, userId, code))) return 'wrong';
        await repository.deleteTotp(trx, userId);
        await logTwoFactor(trx, actor, userId, 'on', 'off');
        return 'off';
      });
      // Thrown outside the transaction so the used-up step of a wrong try is kept either way.
      if (outcome === 'wrong') throw wrongCode();
    },

    /** The second step of sign-in: the token from the password step and a code. */
    async completeSignIn(input: { mfaToken: string; code: string }, client: ClientInfo): Promise<SignedIn> {
      const challenge = await database.forAuthLookup((trx) => repository.findMfaChallenge(trx, hashSecret(input.mfaToken)));
      if (!challenge) throw invalidChallenge();
      // Each try is counted and committed even when the code is wrong: five tries per password.
      const outcome = await database.forTenant(challenge.tenantId, async (trx) => {
        const claimed = await repository.claimMfaChallengeAttempt(trx, challenge.id, maxChallengeAttempts);
        if (!claimed) return { result: 'expired' as const };
        const method = await useSecondFactor(trx, challenge.tenantId, claimed.userId, input.code);
        if (!method) return { result: 'wrong' as const };
        await repository.markMfaChallengeUsed(trx, challenge.id);
        return { result: 'passed' as const, method };
      });
      if (outcome.result === 'expired') throw invalidChallenge();
      if (outcome.result === 'wrong') throw wrongCode();
      return identity.startSessionFor(challenge.tenantId, challenge.userId, client, outcome.method);
    },

    /**
     * Field encryption's re-keying of TOTP secrets (registered as `user.totpSecret`): secrets
     * in clear or under an older key version are encrypted under the current one.
     */
    rekeyBatch(tenantId: string, afterId: string | null, limit: number): Promise<{ lastId: string | null; changed: number }> {
      return database.forTenant(tenantId, async (trx) => {
        const cipher = await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true });
        const rows = await repository.listTotpSecretsAfter(trx, tenantId, afterId, limit);
        let changed = 0;
        for (const row of rows) {
          if (cipher.isCurrent(row.secret)) continue;
          await repository.setTotpSecret(trx, row.userId, cipher.encrypt(totpSecretField, await openSecret(trx, tenantId, row.secret)));
          changed++;
        }
        return { lastId: rows.length === limit ? rows[rows.length - 1].id : null, changed };
      });
    },

    async getWorkspaceSecurity(actor: Actor): Promise<{ requireTotp: boolean }> {
      const tenant = await database.forTenant(actor.tenantId, (trx) => identityRepository.findTenant(trx, actor.tenantId));
      return { requireTotp: tenant?.requireTotp ?? false };
    },

    async updateWorkspaceSecurity(actor: Actor, input: { requireTotp: boolean }): Promise<{ requireTotp: boolean }> {
      assertAdministrator(actor);
      const userId = requireUser(actor);
      await database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (!tenant) throw new NotFoundError('tenant', actor.tenantId);
        // An administrator who requires it without having it would lock themselves out of the settings.
        if (input.requireTotp && !(await repository.hasEnabledTotp(trx, userId))) {
          throw new ConflictError('auth.totp_not_enabled', 'requireTotp', 'Turn on two-factor sign-in for your own account first');
        }
        if (tenant.requireTotp === input.requireTotp) return;
        await repository.setTenantRequireTotp(trx, actor.tenantId, input.requireTotp);
        await appendChange(trx, actor, { entity: 'tenant', entityId: actor.tenantId, operation: 'update', before: { requireTotp: tenant.requireTotp }, after: { requireTotp: input.requireTotp } });
      });
      identity.evictAuthentications({ tenantId: actor.tenantId });
      return { requireTotp: input.requireTotp };
    },
  };
}

export type TotpService = ReturnType<typeof createTotpService>;
