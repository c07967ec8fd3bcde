// Single sign-on, the parts OIDC and SAML share: the workspace a sign-in is for, the URLs a
// provider must know, the rules on who may come in (allowed email domains, enabled flag),
// and turning a proven email into a Rapport user — created just in time with the default
// role, through the change log — and a session.
import { uuidv7 } from 'uuidv7';
import { systemActor } from '../../platform/actor.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database } from '../../platform/db.js';
import { AppError, FieldError } from '../../platform/errors.js';
import type { ClientInfo, IdentityService, SignedIn } from './identity.service.js';
import { ssoRepository as repository } from './identity.sso.repository.js';

/** A sign-in that cannot go on; the browser lands on `/sign-in?error=<code>`. */
export class SsoError extends AppError {
  /** What the provider or the library said, for the log only: never shown to the browser. */
  readonly reason?: unknown;

  constructor(code: `sso.${string}`, message: string, status = 400, reason?: unknown) {
    super(status, code, message);
    this.reason = reason;
  }
}

export type SsoProtocol = 'oidc' | 'saml';

/** How long a started sign-in may take at the provider before its state is forgotten. */
export const loginAttemptTtlMs = 10 * 60_000;

export function ssoUrls(baseUrl: string, workspaceSlug: string) {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1/auth/sso`;
  return {
    oidcStart: `${root}/${workspaceSlug}/oidc/start`,
    oidcRedirect: `${root}/oidc/callback`,
    samlStart: `${root}/${workspaceSlug}/saml/start`,
    samlAcs: `${root}/${workspaceSlug}/saml/acs`,
    samlMetadata: `${root}/${workspaceSlug}/saml/metadata`,
  };
}

export function isEmailDomainAllowed(email: string, allowedDomains: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return email.includes('@') && allowedDomains.some((allowed) => allowed.toLowerCase() === domain);
}

export function normaliseDomains(domains: string[]): string[] {
  return [...new Set(domains.map((domain) => domain.trim().toLowerCase()))];
}

/** Enabling sign-in without a domain would let any account at the provider join the workspace. */
export function assertDomainsWhenEnabled(enabled: boolean, domains: string[]) {
  if (enabled && domains.length === 0) {
    throw new FieldError('sso.allowed_domains_required', 'allowedDomains', 'Name at least one email domain before enabling single sign-on');
  }
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackUrl(url: URL): boolean {
  return loopbackHosts.has(url.hostname);
}

/** Provider URLs must be https; plain http only to this machine (development and tests). */
export function assertSecureUrl(value: string, field: string, code: `sso.${string}`) {
  const url = new URL(value);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))) return;
  throw new FieldError(code, field, 'Must be an https URL');
}

export interface VerifiedIdentity {
  email: string;
  name: string | null;
}

export interface SignInPolicy {
  tenantId: string;
  allowedDomains: string[];
  defaultRole: string;
}

export function createSsoAccounts({ database, identity }: { database: Database; identity: IdentityService }) {
  return {
    /** The workspace of a sign-in URL, read before anyone is signed in. */
    async getWorkspace(slug: string) {
      const tenant = await database.forAuthLookup((trx) => repository.findTenantBySlug(trx, slug));
      if (!tenant) throw new SsoError('sso.workspace_not_found', `No workspace ${slug}`, 404);
      return tenant;
    },

    /** Signs in the workspace's user with this email, creating them first if they are new. */
    async signIn(protocol: SsoProtocol, policy: SignInPolicy, verified: VerifiedIdentity, client: ClientInfo): Promise<SignedIn> {
      const email = verified.email.trim().toLowerCase();
      if (!isEmailDomainAllowed(email, policy.allowedDomains)) {
        throw new SsoError('sso.domain_not_allowed', 'This email domain may not sign in to the workspace', 403);
      }
      const user = await database.forTenant(policy.tenantId, async (trx) => {
        const existing = await repository.findUserByEmail(trx, policy.tenantId, email);
        if (existing) return existing;
        const name = verified.name?.trim().slice(0, 200) || email.slice(0, email.indexOf('@'));
        const created = await repository.insertUser(trx, { tenantId: policy.tenantId, id: uuidv7(), email, name, role: policy.defaultRole });
        const actor = systemActor(policy.tenantId, `Single sign-on (${protocol.toUpperCase()})`);
        await appendChange(trx, actor, {
          entity: 'user', entityId: created.id, operation: 'create',
          after: { id: created.id, email: created.email, name: created.name, role: created.role, createdBy: `sso_${protocol}` },
        });
        return created;
      });
      if (user.disabledAt) throw new SsoError('sso.user_disabled', 'This user is disabled in the workspace', 403);
      return identity.startSessionFor(policy.tenantId, user.id, client);
    },

    /** Forgets sign-ins that were started and never finished. */
    purgeExpiredAttempts(tenantId: string) {
      return database.forTenant(tenantId, (trx) => repository.deleteExpiredLoginAttempts(trx, tenantId));
    },
  };
}

export type SsoAccounts = ReturnType<typeof createSsoAccounts>;
