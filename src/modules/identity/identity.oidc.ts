// OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) and the
// workspace's OIDC settings. State, nonce and the PKCE verifier stay in sso_login_attempt;
// the browser holds only the state, in a short-lived cookie that binds the callback to the
// browser that started the sign-in. The client secret is stored encrypted with the workspace's
// data key (field encryption); one saved before that is read as it is and encrypted at the next
// save or key rotation.
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import * as openid from 'openid-client';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import { merged } from '../../platform/objects.js';
import { identityRepository } from './identity.repository.js';
import type { ClientInfo, SignedIn } from './identity.service.js';
import {
  assertDomainsWhenEnabled, assertSecureUrl, isLoopbackUrl, loginAttemptTtlMs, normaliseDomains, SsoError, ssoUrls, type SsoAccounts,
} from './identity.sso.accounts.js';
import { ssoRepository as repository, type OidcSettingRow } from './identity.sso.repository.js';
import { defaultSsoRole, type OidcSettings, type OidcCallbackQuery, type PutOidcSettings } from './identity.sso.schemas.js';

const hashState = (state: string) => crypto.createHash('sha256').update(state, 'utf8').digest();
const fingerprint = (secret: string) => crypto.createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function assertUsable(setting: OidcSettingRow | undefined): OidcSettingRow {
  if (!setting) throw new SsoError('sso.not_configured', 'Single sign-on with OpenID Connect is not set up for this workspace', 404);
  if (!setting.isEnabled) throw new SsoError('sso.disabled', 'Single sign-on with OpenID Connect is turned off for this workspace', 403);
  return setting;
}

const loggable = (row: OidcSettingRow) => ({
  issuerUrl: row.issuerUrl, clientId: row.clientId, clientSecretFingerprint: fingerprint(row.clientSecret),
  allowedDomains: row.allowedDomains, defaultRole: row.defaultRole, isEnabled: row.isEnabled,
});

export interface StartedOidcSignIn {
  redirectUrl: string;
  /** Goes into the browser-binding cookie; the callback must bring it back. */
  state: string;
}

/** The field name OIDC client secrets are encrypted under (bound into each ciphertext). */
export const oidcClientSecretField = 'sso.oidcClientSecret';

export function createOidcSignOn({ database, accounts, encryption }: { database: Database; accounts: SsoAccounts; encryption: Pick<FieldEncryption, 'cipherFor' | 'decrypt'> }) {
  /** The workspace's settings with the client secret decrypted; a tenant transaction reads the key. */
  async function readSetting(trx: Trx, tenantId: string): Promise<OidcSettingRow | undefined> {
    const row = await repository.findOidcSetting(trx, tenantId);
    return row && merged(row, { clientSecret: (await encryption.decrypt(trx, tenantId, oidcClientSecretField, row.clientSecret))! });
  }

  // Discovery is an HTTP round trip to the provider; its answer is reused for a few minutes.
  // The key carries updatedAt, so a saved change takes effect on the next sign-in.
  const configurations = new LRUCache<string, openid.Configuration>({ max: 1000, ttl: 10 * 60_000 });

  async function configurationFor(setting: OidcSettingRow): Promise<openid.Configuration> {
    const key = `${setting.tenantId}:${setting.updatedAt.getTime()}`;
    const cached = configurations.get(key);
    if (cached) return cached;
    const issuer = new URL(setting.issuerUrl);
    try {
      const configuration = await openid.discovery(issuer, setting.clientId, undefined, openid.ClientSecretBasic(setting.clientSecret), {
        execute: isLoopbackUrl(issuer) ? [openid.allowInsecureRequests] : [],
        timeout: 10,
      });
      configurations.set(key, configuration);
      return configuration;
    } catch (error) {
      throw new SsoError('sso.provider_unreachable', 'The OpenID provider could not be reached or its discovery document is invalid', 502, error);
    }
  }

  function toSettings(row: OidcSettingRow | undefined, urls: ReturnType<typeof ssoUrls>): OidcSettings {
    return {
      issuerUrl: row?.issuerUrl ?? '', clientId: row?.clientId ?? '', hasClientSecret: Boolean(row?.clientSecret),
      allowedDomains: row?.allowedDomains ?? [], defaultRole: row?.defaultRole ?? defaultSsoRole, enabled: row?.isEnabled ?? false,
      redirectUri: urls.oidcRedirect, startUrl: urls.oidcStart, updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  return {
    async getSettings(actor: Actor, baseUrl: string): Promise<OidcSettings> {
      assertAdministrator(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (!tenant) throw new NotFoundError('tenant', actor.tenantId);
        return toSettings(await repository.findOidcSetting(trx, actor.tenantId), ssoUrls(baseUrl, tenant.slug));
      });
    },

    async saveSettings(actor: Actor, input: PutOidcSettings, baseUrl: string): Promise<OidcSettings> {
      assertAdministrator(actor);
      assertSecureUrl(input.issuerUrl, 'issuerUrl', 'sso.issuer_url_insecure');
      const allowedDomains = normaliseDomains(input.allowedDomains);
      assertDomainsWhenEnabled(input.enabled, allowedDomains);
      return database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (!tenant) throw new NotFoundError('tenant', actor.tenantId);
        const before = await readSetting(trx, actor.tenantId);
        const clientSecret = input.clientSecret ?? before?.clientSecret;
        if (!clientSecret) throw new FieldError('sso.client_secret_required', 'clientSecret', 'The client secret is required');
        const cipher = await encryption.cipherFor(trx, actor.tenantId, { forWriting: true, withKey: true });
        const saved = await repository.saveOidcSetting(trx, {
          tenantId: actor.tenantId, id: before?.id ?? uuidv7(), issuerUrl: input.issuerUrl.trim().replace(/\/+$/, ''),
          clientId: input.clientId.trim(), clientSecret: cipher.encrypt(oidcClientSecretField, clientSecret),
          allowedDomains, defaultRole: input.defaultRole ?? defaultSsoRole, isEnabled: input.enabled,
        });
        await appendChange(trx, actor, {
          entity: 'sso_oidc_setting', entityId: saved.id, operation: before ? 'update' : 'create',
          before: before ? loggable(before) : null, after: loggable(merged(saved, { clientSecret })),
        });
        return toSettings(saved, ssoUrls(baseUrl, tenant.slug));
      });
    },

    /** Field encryption's re-keying (registered as `sso.oidcClientSecret`): the one row of a workspace. */
    rekeyBatch(tenantId: string, afterId: string | null): Promise<{ lastId: string | null; changed: number }> {
      if (afterId) return Promise.resolve({ lastId: null, changed: 0 });
      return database.forTenant(tenantId, async (trx) => {
        const row = await repository.findOidcSetting(trx, tenantId);
        const cipher = await encryption.cipherFor(trx, tenantId, { forWriting: true, withKey: true });
        if (!row || cipher.isCurrent(row.clientSecret)) return { lastId: null, changed: 0 };
        const clientSecret = (await cipher.open(oidcClientSecretField, row.clientSecret))!;
        await repository.setOidcClientSecret(trx, tenantId, cipher.encrypt(oidcClientSecretField, clientSecret));
        return { lastId: null, changed: 1 };
      });
    },

    /** Remembers state, nonce and PKCE verifier, and answers where to send the browser. */
    async start(workspaceSlug: string, baseUrl: string): Promise<StartedOidcSignIn> {
      const tenant = await accounts.getWorkspace(workspaceSlug);
      const setting = assertUsable(await database.readTenant(tenant.id, (trx) => readSetting(trx, tenant.id)));
      const configuration = await configurationFor(setting);
      const state = openid.randomState();
      const nonce = openid.randomNonce();
      const codeVerifier = openid.randomPKCECodeVerifier();
      const redirectUri = ssoUrls(baseUrl, tenant.slug).oidcRedirect;
      await accounts.purgeExpiredAttempts(tenant.id);
      await database.forTenant(tenant.id, (trx) => repository.insertLoginAttempt(trx, {
        tenantId: tenant.id, id: uuidv7(), protocol: 'oidc', stateHash: hashState(state), nonce, codeVerifier, redirectUri,
        expiresAt: new Date(Date.now() + loginAttemptTtlMs),
      }));
      const url = openid.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri, scope: 'openid email profile', state, nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
      });
      return { redirectUrl: url.href, state };
    },

    /**
     * The provider's redirect back: the state must match the browser's cookie and a sign-in
     * started here (once), then openid-client exchanges the code and checks the ID token
     * (signature, issuer, audience, expiry, nonce) and the PKCE verifier goes with the code.
     */
    async finish(query: OidcCallbackQuery, search: string, stateCookie: string | undefined, client: ClientInfo): Promise<SignedIn> {
      if (query.error) throw new SsoError('sso.provider_error', 'The OpenID provider did not sign you in', 400, query.error);
      const state = query.state;
      if (!state || !stateCookie || !sameText(state, stateCookie)) {
        throw new SsoError('sso.state_invalid', 'This sign-in was not started in this browser, or it has expired');
      }
      const attempt = await database.forAuthLookup((trx) => repository.findOidcAttemptByStateHash(trx, hashState(state)));
      if (!attempt?.redirectUri || !attempt.codeVerifier || !attempt.nonce) {
        throw new SsoError('sso.state_invalid', 'This sign-in was not started in this browser, or it has expired');
      }
      const { tenantId } = attempt;
      const { consumed, setting } = await database.forTenant(tenantId, async (trx) => ({
        consumed: await repository.deleteLoginAttempt(trx, tenantId, attempt.id),
        setting: await readSetting(trx, tenantId),
      }));
      if (!consumed) throw new SsoError('sso.state_invalid', 'This sign-in has already been used');
      const usable = assertUsable(setting);
      const configuration = await configurationFor(usable);
      const currentUrl = new URL(attempt.redirectUri);
      currentUrl.search = search;
      let claims: Record<string, unknown>;
      try {
        const tokens = await openid.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: attempt.codeVerifier, expectedState: state, expectedNonce: attempt.nonce, idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        claims = idToken;
        // Many providers put only `sub` in the ID token and the profile behind the userinfo
        // endpoint; fetchUserInfo checks that its `sub` is the ID token's.
        // Not Object.assign: a `__proto__` claim from the provider stays an own property, as with spread.
        if (typeof idToken.email !== 'string') claims = Object.fromEntries([...Object.entries(await openid.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), ...Object.entries(idToken)]);
      } catch (error) {
        throw new SsoError('sso.oidc_failed', 'The OpenID provider’s answer could not be verified', 401, error);
      }
      const email = typeof claims.email === 'string' ? claims.email : undefined;
      if (!email) throw new SsoError('sso.email_missing', 'The OpenID provider did not share an email address');
      if (claims.email_verified === false) throw new SsoError('sso.email_unverified', 'The OpenID provider has not verified this email address', 403);
      const name = typeof claims.name === 'string' ? claims.name : null;
      return accounts.signIn('oidc', { tenantId, allowedDomains: usable.allowedDomains, defaultRole: usable.defaultRole }, { email, name }, client);
    },
  };
}

export type OidcSignOn = ReturnType<typeof createOidcSignOn>;
