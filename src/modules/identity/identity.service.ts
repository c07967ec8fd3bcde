// Workspaces (tenants), users, sessions and API keys: signing up, signing in, and turning
// a cookie or bearer key into the acting user of a request.
import { uuidv7 } from 'uuidv7';
import { systemActor, type Actor } from '../../platform/actor.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database } from '../../platform/db.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { createRefreshingCache } from '../../platform/refreshing-cache.js';
import type { Authentication, Authenticator } from '../../platform/http/authentication.js';
import { merged } from '../../platform/objects.js';
import { assertPasswordAllowed } from './identity.password-policy.js';
import { hashPassword, verifyPassword } from './identity.passwords.js';
import { identityRepository as repository, type AuthenticatedRow, type TenantRow, type UserRow } from './identity.repository.js';
import type { ApiKey, CreatedApiKey, CreateApiKeyBody, LoginBody, SessionInfo, SignupBody, Tenant, User } from './identity.schemas.js';
import { securityRepository } from './identity.security.repository.js';
import { createSignInThrottle } from './identity.throttle.js';
import { apiKeyPrefix, csrfTokenFor, hashSecret, newSecret, secretHashHex } from './identity.tokens.js';
import { issueMfaChallenge } from './identity.totp.js';

export interface IdentitySettings {
  signupEnabled: boolean;
  sessionTtlHours: number;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn extends SessionInfo {
  sessionToken: string;
  expiresAt: Date;
}

/** The password was right: signed in, or a second factor is due (see identity.totp.ts). */
export type LoginOutcome = SignedIn | { mfaRequired: true; mfaToken: string };

/** How a session was started, as the change log's sign_in entry records it. */
export type SignInMethod = 'password' | 'totp' | 'recovery_code' | 'password_reset' | 'external';

const toUser = (row: UserRow): User => ({ id: row.id, name: row.name, email: row.email, role: row.role, locale: row.locale });
const toTenant = (row: TenantRow): Tenant => ({ id: row.id, name: row.name, slug: row.slug });

function slugFor(name: string): string {
  const base = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `${base || 'workspace'}-${newSecret().slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

const userActor = (user: UserRow): Actor => ({ tenantId: user.tenantId, userId: user.id, name: user.name, type: 'user', role: user.role });
const userFields = (user: UserRow) => ({ id: user.id, email: user.email, name: user.name, role: user.role });

export function createIdentityService({ database, settings }: { database: Database; settings: IdentitySettings }) {
  // Authenticating every request by a database read would double the cost of a simple GET;
  // a short-lived cache keeps that down, and logout and revocation evict at once.
  // A sign-in is trusted for 5 s after it was looked up (other processes see a revocation within
  // that); one in use is looked up again after 4 s in the background.
  const authCache = createRefreshingCache<Authentication>({ max: 10_000, ttlMs: 5_000, refreshAfterMs: 4_000 });

  const throttle = createSignInThrottle({ database });

  async function startSession(user: UserRow, tenant: TenantRow, client: ClientInfo, method: SignInMethod): Promise<SignedIn> {
    const sessionToken = newSecret();
    const expiresAt = new Date(Date.now() + settings.sessionTtlHours * 3_600_000);
    const totpSetupRequired = await database.forTenant(user.tenantId, async (trx) => {
      const id = uuidv7();
      await repository.insertSession(trx, {
        tenantId: user.tenantId, id, tokenHash: hashSecret(sessionToken), userId: user.id,
        expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 500) ?? null,
      });
      await appendChange(trx, merged(userActor(user), { ip: client.ip ?? undefined }), { entity: 'user', entityId: user.id, operation: 'sign_in', after: { sessionId: id, method, userAgent: client.userAgent?.slice(0, 200) ?? null } });
      return tenant.requireTotp && !(await securityRepository.hasEnabledTotp(trx, user.id));
    });
    return { user: toUser(user), tenant: toTenant(tenant), csrfToken: csrfTokenFor(sessionToken), sessionToken, expiresAt, ...(totpSetupRequired ? { totpSetupRequired } : {}) };
  }

  /** A wrong password for an existing account goes on that account's history (no tenant knows an unknown email). */
  async function recordFailedSignIn(users: UserRow[], client: ClientInfo) {
    for (const user of users) {
      await database.forTenant(user.tenantId, (trx) => appendChange(trx, merged(systemActor(user.tenantId, 'sign-in'), { ip: client.ip ?? undefined }),
        { entity: 'user', entityId: user.id, operation: 'sign_in_failed', after: { userAgent: client.userAgent?.slice(0, 200) ?? null } }));
    }
  }

  async function toAuthentication(row: AuthenticatedRow | undefined, via: Authentication['via'], token: string) {
    if (!row) return undefined;
    const actor: Actor = { tenantId: row.tenantId, userId: row.userId, name: row.userName, type: via === 'session' ? 'user' : 'api_key', role: row.role };
    return { actor, via, csrfToken: via === 'session' ? csrfTokenFor(token) : undefined, ...(row.totpSetupRequired ? { totpSetupRequired: true } : {}) } satisfies Authentication;
  }

  const service = {
    /** Creates a workspace and its owner; used by signup and by the demo seed. */
    async createWorkspace(input: SignupBody): Promise<{ tenant: TenantRow; user: UserRow }> {
      const email = input.email.trim().toLowerCase();
      const taken = await database.forAuthLookup((trx) => repository.listUsersByEmail(trx, email));
      if (taken.length > 0) throw new ConflictError('auth.email_taken', 'email', 'A user with this email already exists');
      assertPasswordAllowed(input.password, { email, workspaceName: input.workspaceName });
      const passwordHash = await hashPassword(input.password);
      const tenantId = uuidv7();
      return database.forTenant(tenantId, async (trx) => {
        const tenant = await repository.insertTenant(trx, { id: tenantId, name: input.workspaceName.trim(), slug: slugFor(input.workspaceName) });
        const user = await repository.insertUser(trx, { tenantId, id: uuidv7(), email, name: input.name.trim(), passwordHash, role: 'owner' });
        const actor = userActor(user);
        await appendChange(trx, actor, { entity: 'tenant', entityId: tenant.id, operation: 'create', after: { name: tenant.name, slug: tenant.slug } });
        await appendChange(trx, actor, { entity: 'user', entityId: user.id, operation: 'create', after: userFields(user) });
        return { tenant, user };
      });
    },

    /** An administrator adds a user to their workspace (the access service checks the role). */
    async addUser(actor: Actor, input: { name: string; email: string; password: string; role: string }): Promise<UserRow> {
      const email = input.email.trim().toLowerCase();
      assertPasswordAllowed(input.password, { email });
      const taken = await database.forAuthLookup((trx) => repository.listUsersByEmail(trx, email));
      if (taken.length > 0) throw new ConflictError('auth.email_taken', 'email', 'A user with this email already exists');
      const passwordHash = await hashPassword(input.password);
      return database.forTenant(actor.tenantId, async (trx) => {
        const user = await repository.insertUser(trx, { tenantId: actor.tenantId, id: uuidv7(), email, name: input.name.trim(), passwordHash, role: input.role });
        await appendChange(trx, actor, { entity: 'user', entityId: user.id, operation: 'create', after: userFields(user) });
        return user;
      });
    },

    /** Drops every cached authentication, so a disabled user or changed key is refused at once. */
    forgetAuthentications(): void {
      authCache.clear();
    },

    async signup(input: SignupBody, client: ClientInfo): Promise<SignedIn> {
      if (!settings.signupEnabled) throw new ForbiddenError('auth.signup_disabled', 'Sign-up is turned off on this server');
      const { tenant, user } = await service.createWorkspace(input);
      return startSession(user, tenant, client, 'password');
    },

    /** Throttled per address and account (identity.throttle.ts); a second factor, when on, comes next. */
    async login(input: LoginBody, client: ClientInfo): Promise<LoginOutcome> {
      const email = input.email.trim().toLowerCase();
      await throttle.assertAllowed(email, client.ip);
      const candidates = await database.forAuthLookup((trx) => repository.listUsersByEmail(trx, email));
      for (const user of candidates.length > 0 ? candidates : [undefined]) {
        if (!(await verifyPassword(user?.passwordHash ?? null, input.password)) || !user) continue;
        const found = await database.forTenant(user.tenantId, async (trx) => ({
          tenant: await repository.findTenant(trx, user.tenantId),
          hasTotp: await securityRepository.hasEnabledTotp(trx, user.id),
        }));
        if (!found.tenant) continue;
        await throttle.recordSuccess(email, client.ip);
        if (found.hasTotp) return { mfaRequired: true, mfaToken: await issueMfaChallenge(database, user) };
        return startSession(user, found.tenant, client, 'password');
      }
      await throttle.recordFailure(email, client.ip);
      await recordFailedSignIn(candidates, client);
      throw new AppError(401, 'auth.invalid_credentials', 'Wrong email or password');
    },

    /** Signs a known user in after another module proved who they are (SSO, a second factor). */
    async startSessionFor(tenantId: string, userId: string, client: ClientInfo, method: SignInMethod = 'external'): Promise<SignedIn> {
      const found = await database.forTenant(tenantId, async (trx) => ({
        user: await repository.findUser(trx, userId),
        tenant: await repository.findTenant(trx, tenantId),
      }));
      if (!found.user || !found.tenant || found.user.disabledAt) throw new NotFoundError('user', userId);
      return startSession(found.user, found.tenant, client, method);
    },

    /**
     * Drops cached authentications at once, after a revocation: one session or key by its token
     * hash, or every one of a user or a workspace. Other API processes follow within 5 seconds.
     */
    evictAuthentications(match: { tokenHash: Buffer } | { userId: string } | { tenantId: string }): void {
      if ('tokenHash' in match) {
        authCache.delete(match.tokenHash.toString('hex'));
        return;
      }
      authCache.deleteWhere((cached) => ('userId' in match ? cached.actor.userId === match.userId : cached.actor.tenantId === match.tenantId));
    },

    purgeOldSignInAttempts: () => throttle.purgeOldAttempts(),

    async logout(sessionToken: string | undefined): Promise<void> {
      if (!sessionToken) return;
      const tokenHash = hashSecret(sessionToken);
      authCache.delete(tokenHash.toString('hex'));
      const session = await database.forAuthLookup((trx) => repository.findActiveSession(trx, tokenHash));
      if (session) await database.forTenant(session.tenantId, (trx) => repository.revokeSession(trx, tokenHash));
    },

    async describeSession(actor: Actor, authentication: Authentication | undefined): Promise<SessionInfo> {
      return database.forTenant(actor.tenantId, async (trx) => {
        const user = actor.userId ? await repository.findUser(trx, actor.userId) : undefined;
        const tenant = await repository.findTenant(trx, actor.tenantId);
        if (!user || !tenant) throw new NotFoundError('user', actor.userId ?? '');
        return { user: toUser(user), tenant: toTenant(tenant), csrfToken: authentication?.csrfToken ?? '', ...(authentication?.totpSetupRequired ? { totpSetupRequired: true } : {}) };
      });
    },

    authenticator: {
      async authenticate({ sessionToken, apiKey }) {
        const token = apiKey ?? sessionToken;
        if (!token || token.length > 200) return undefined;
        const cacheKey = secretHashHex(token);
        return authCache.get(cacheKey, async () => {
          const tokenHash = Buffer.from(cacheKey, 'hex');
          const via = apiKey ? 'api_key' : 'session';
          const row = await database.forAuthLookup((trx) => apiKey ? repository.findActiveApiKey(trx, tokenHash) : repository.findActiveSession(trx, tokenHash));
          const authentication = await toAuthentication(row, via, token);
          // A session must not outlive its expiry inside the cache either.
          return authentication && { value: authentication, ttlMs: row?.expiresAt ? row.expiresAt.getTime() - Date.now() : undefined };
        });
      },
    } satisfies Authenticator,

    async createApiKey(actor: Actor, input: CreateApiKeyBody): Promise<CreatedApiKey> {
      if (!actor.userId) throw new ForbiddenError('auth.user_required', 'Only a signed-in user can create API keys');
      if (input.role !== undefined && input.role !== actor.role) assertAdministrator(actor);
      const secret = newSecret(apiKeyPrefix);
      return database.forTenant(actor.tenantId, async (trx) => {
        const key = await repository.insertApiKey(trx, {
          tenantId: actor.tenantId, id: uuidv7(), name: input.name.trim(), prefix: secret.slice(0, 12), secretHash: hashSecret(secret), userId: actor.userId!,
          role: input.role ?? null,
        });
        await appendChange(trx, actor, { entity: 'api_key', entityId: key.id, operation: 'create', after: { name: key.name, prefix: key.prefix, role: key.role } });
        return merged(toApiKey(key), { secret });
      });
    },

    listApiKeys(actor: Actor): Promise<ApiKey[]> {
      return database.forTenant(actor.tenantId, async (trx) => (await repository.listApiKeys(trx)).map(toApiKey));
    },

    async revokeApiKey(actor: Actor, id: string): Promise<void> {
      const revoked = await database.forTenant(actor.tenantId, async (trx) => {
        const key = await repository.revokeApiKey(trx, id);
        if (!key) throw new NotFoundError('api_key', id);
        await appendChange(trx, actor, { entity: 'api_key', entityId: key.id, operation: 'delete', before: { name: key.name, prefix: key.prefix } });
        return key;
      });
      authCache.delete(revoked.secretHash.toString('hex'));
    },

    async hasAnyWorkspace(): Promise<boolean> {
      return database.forAuthLookup((trx) => repository.hasAnyTenant(trx));
    },

    /** Removes sessions that expired more than a day ago, in every workspace (a scheduled job). */
    async purgeExpiredSessions(): Promise<number> {
      const before = new Date(Date.now() - 86_400_000);
      const tenantIds = await database.forAuthLookup((trx) => repository.listTenantIdsWithExpiredSessions(trx, before));
      let purged = 0;
      for (const tenantId of tenantIds) {
        purged += await database.forTenant(tenantId, (trx) => repository.deleteExpiredSessions(trx, before));
      }
      return purged;
    },
  };
  return service;
}

function toApiKey(key: { id: string; name: string; prefix: string; role: string | null; createdAt: Date }): ApiKey {
  return { id: key.id, name: key.name, prefix: key.prefix, role: key.role, createdAt: key.createdAt.toISOString() };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
