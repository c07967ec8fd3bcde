// Sessions as the user sees them: where they are signed in, and signing a device out. An
// administrator may list and end the sessions of anyone in the workspace. Ending a session
// takes effect at once here (the authentication cache is evicted) and within 5 seconds in
// other API processes.
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database } from '../../platform/db.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { identityRepository } from './identity.repository.js';
import type { UserSession } from './identity.security.schemas.js';
import { securityRepository as repository } from './identity.security.repository.js';
import type { IdentityService } from './identity.service.js';

interface SessionRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  tokenHash: Buffer;
}

const toUserSession = (row: SessionRow, currentTokenHash: Buffer | undefined): UserSession => ({
  id: row.id,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  ip: row.ip,
  userAgent: row.userAgent,
  current: currentTokenHash !== undefined && row.tokenHash.equals(currentTokenHash),
});

function requireUser(actor: Actor): string {
  if (!actor.userId || actor.type !== 'user') throw new ForbiddenError('auth.user_required', 'Sessions belong to signed-in users');
  return actor.userId;
}

export function createSessionService({ database, identity }: { database: Database; identity: Pick<IdentityService, 'evictAuthentications'> }) {
  async function list(actor: Actor, userId: string, currentTokenHash: Buffer | undefined): Promise<UserSession[]> {
    return database.forTenant(actor.tenantId, async (trx) => {
      if (!(await identityRepository.findUser(trx, userId))) throw new NotFoundError('user', userId);
      return (await repository.listActiveSessions(trx, userId)).map((row) => toUserSession(row, currentTokenHash));
    });
  }

  async function revoke(actor: Actor, userId: string, sessionId: string): Promise<void> {
    const revoked = await database.forTenant(actor.tenantId, async (trx) => {
      const row = await repository.revokeSessionById(trx, userId, sessionId);
      if (!row) throw new NotFoundError('session', sessionId);
      await appendChange(trx, actor, { entity: 'session', entityId: row.id, operation: 'delete', before: { userId, ip: row.ip, userAgent: row.userAgent } });
      return row;
    });
    identity.evictAuthentications({ tokenHash: revoked.tokenHash });
  }

  return {
    listOwn: (actor: Actor, currentTokenHash: Buffer | undefined) => list(actor, requireUser(actor), currentTokenHash),
    revokeOwn: (actor: Actor, sessionId: string) => revoke(actor, requireUser(actor), sessionId),
    listForUser(actor: Actor, userId: string, currentTokenHash: Buffer | undefined) {
      assertAdministrator(actor);
      return list(actor, userId, currentTokenHash);
    },
    revokeForUser(actor: Actor, userId: string, sessionId: string) {
      assertAdministrator(actor);
      return revoke(actor, userId, sessionId);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
