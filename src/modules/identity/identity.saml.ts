// SAML 2.0 sign-in (SP-initiated, HTTP-Redirect to the IdP, HTTP-POST back to the ACS) and
// the workspace's SAML settings. @node-saml/node-saml checks the XML signature against the
// configured IdP certificate, the audience, NotBefore/NotOnOrAfter and InResponseTo; the
// AuthnRequest ids it must answer live in sso_login_attempt and are each usable once.
import crypto from 'node:crypto';
import { generateServiceProviderMetadata, SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database } from '../../platform/db.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import { identityRepository } from './identity.repository.js';
import type { ClientInfo, SignedIn } from './identity.service.js';
import {
  assertDomainsWhenEnabled, assertSecureUrl, loginAttemptTtlMs, normaliseDomains, SsoError, ssoUrls, type SsoAccounts,
} from './identity.sso.accounts.js';
import { ssoRepository as repository, type SamlSettingRow } from './identity.sso.repository.js';
import { defaultSsoRole, type PutSamlSettings, type SamlAcsBody, type SamlSettings } from './identity.sso.schemas.js';

const emailFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
// Clocks of the IdP and of Rapport never agree to the millisecond.
const clockSkewMs = 60_000;

/** Accepts a PEM or its bare base64 body; answers a PEM, or undefined when it is not a certificate. */
export function toCertificatePem(text: string): string | undefined {
  const trimmed = text.trim();
  const pem = trimmed.includes('-----BEGIN CERTIFICATE-----')
    ? trimmed
    : `-----BEGIN CERTIFICATE-----\n${trimmed.replace(/\s+/g, '').match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----`;
  try {
    return new crypto.X509Certificate(pem).toString().trim();
  } catch {
    return undefined;
  }
}

function assertUsable(setting: SamlSettingRow | undefined): SamlSettingRow {
  if (!setting) throw new SsoError('sso.not_configured', 'Single sign-on with SAML is not set up for this workspace', 404);
  if (!setting.isEnabled) throw new SsoError('sso.disabled', 'Single sign-on with SAML is turned off for this workspace', 403);
  return setting;
}

/** node-saml says what failed only in its messages; these codes let the sign-in page say why. */
function toSsoError(error: unknown): SsoError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /InResponseTo/i.test(message) ? 'sso.saml_request_unknown'
    : /audience/i.test(message) ? 'sso.saml_audience_invalid'
      : /expired|not yet valid|too old|No valid subject confirmation/i.test(message) ? 'sso.saml_expired'
        : /signature/i.test(message) ? 'sso.saml_signature_invalid'
          : 'sso.saml_invalid';
  return new SsoError(code, 'The identity provider’s answer could not be verified', 401, error);
}

const attributeNames = {
  email: ['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'],
  name: ['displayName', 'name', 'urn:oid:2.16.840.1.113730.3.1.241', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'],
};

function firstText(profile: Profile, names: string[]): string | undefined {
  for (const name of names) {
    const value = profile[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && text.trim()) return text.trim();
  }
  return undefined;
}

export function readSamlIdentity(profile: Profile): { email: string | undefined; name: string | null } {
  const nameIdIsEmail = profile.nameIDFormat === emailFormat || /^[^@\s]+@[^@\s]+$/.test(profile.nameID ?? '');
  const email = firstText(profile, attributeNames.email) ?? (nameIdIsEmail ? profile.nameID : undefined);
  return { email, name: firstText(profile, attributeNames.name) ?? null };
}

const loggable = (row: SamlSettingRow) => ({
  entryPoint: row.entryPoint, idpCertificateFingerprint: new crypto.X509Certificate(row.idpCertificate).fingerprint256,
  spEntityId: row.spEntityId, allowedDomains: row.allowedDomains, defaultRole: row.defaultRole, isEnabled: row.isEnabled,
});

export function createSamlSignOn({ database, accounts }: { database: Database; accounts: SsoAccounts }) {
  /**
   * node-saml's request-id cache, kept in the database so any process can finish a sign-in.
   * `consumed` turns true only when this call's removal deleted the id, so of two concurrent
   * posts of one response only one signs in.
   */
  function requestIdStore(tenantId: string) {
    let consumed = false;
    const provider: CacheProvider = {
      async saveAsync(key, value) {
        await database.forTenant(tenantId, (trx) => repository.insertLoginAttempt(trx, {
          tenantId, id: uuidv7(), protocol: 'saml', requestId: key, requestedAt: value, expiresAt: new Date(Date.now() + loginAttemptTtlMs),
        }));
        return { value, createdAt: Date.now() };
      },
      async getAsync(key) {
        const row = await database.forTenant(tenantId, (trx) => repository.findSamlAttempt(trx, tenantId, key));
        return row?.requestedAt ?? null;
      },
      async removeAsync(key) {
        if (!key) return null;
        const row = await database.forTenant(tenantId, (trx) => repository.deleteSamlAttempt(trx, tenantId, key));
        if (row) consumed = true;
        return row?.requestedAt ?? null;
      },
    };
    return { provider, wasConsumed: () => consumed };
  }

  function samlFor(setting: SamlSettingRow, acsUrl: string, cacheProvider: CacheProvider) {
    return new SAML({
      entryPoint: setting.entryPoint, idpCert: setting.idpCertificate, issuer: setting.spEntityId, audience: setting.spEntityId,
      callbackUrl: acsUrl, identifierFormat: emailFormat, disableRequestedAuthnContext: true,
      // The assertion (what says who the user is) must carry a valid signature; many IdPs sign only it.
      wantAssertionsSigned: true, wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always, requestIdExpirationPeriodMs: loginAttemptTtlMs, cacheProvider,
      acceptedClockSkewMs: clockSkewMs,
    });
  }

  function toSettings(row: SamlSettingRow | undefined, urls: ReturnType<typeof ssoUrls>): SamlSettings {
    return {
      entryPoint: row?.entryPoint ?? '', idpCertificate: row?.idpCertificate ?? '', spEntityId: row?.spEntityId ?? urls.samlMetadata,
      allowedDomains: row?.allowedDomains ?? [], defaultRole: row?.defaultRole ?? defaultSsoRole, enabled: row?.isEnabled ?? false,
      acsUrl: urls.samlAcs, metadataUrl: urls.samlMetadata, startUrl: urls.samlStart, updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  async function readSetting(workspaceSlug: string) {
    const tenant = await accounts.getWorkspace(workspaceSlug);
    const setting = await database.forAuthLookup((trx) => repository.findSamlSetting(trx, tenant.id));
    return { tenant, setting };
  }

  return {
    async getSettings(actor: Actor, baseUrl: string): Promise<SamlSettings> {
      assertAdministrator(actor);
      return database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (!tenant) throw new NotFoundError('tenant', actor.tenantId);
        return toSettings(await repository.findSamlSetting(trx, actor.tenantId), ssoUrls(baseUrl, tenant.slug));
      });
    },

    async saveSettings(actor: Actor, input: PutSamlSettings, baseUrl: string): Promise<SamlSettings> {
      assertAdministrator(actor);
      assertSecureUrl(input.entryPoint, 'entryPoint', 'sso.entry_point_insecure');
      const idpCertificate = toCertificatePem(input.idpCertificate);
      if (!idpCertificate) throw new FieldError('sso.certificate_invalid', 'idpCertificate', 'Not an X.509 certificate in PEM form');
      const allowedDomains = normaliseDomains(input.allowedDomains);
      assertDomainsWhenEnabled(input.enabled, allowedDomains);
      return database.forTenant(actor.tenantId, async (trx) => {
        const tenant = await identityRepository.findTenant(trx, actor.tenantId);
        if (!tenant) throw new NotFoundError('tenant', actor.tenantId);
        const urls = ssoUrls(baseUrl, tenant.slug);
        const before = await repository.findSamlSetting(trx, actor.tenantId);
        const saved = await repository.saveSamlSetting(trx, {
          tenantId: actor.tenantId, id: before?.id ?? uuidv7(), entryPoint: input.entryPoint.trim(), idpCertificate,
          spEntityId: input.spEntityId?.trim() || before?.spEntityId || urls.samlMetadata,
          allowedDomains, defaultRole: input.defaultRole ?? defaultSsoRole, isEnabled: input.enabled,
        });
        await appendChange(trx, actor, {
          entity: 'sso_saml_setting', entityId: saved.id, operation: before ? 'update' : 'create',
          before: before ? loggable(before) : null, after: loggable(saved),
        });
        return toSettings(saved, urls);
      });
    },

    /** The IdP URL carrying a fresh, deflated AuthnRequest whose id is remembered. */
    async start(workspaceSlug: string, baseUrl: string): Promise<string> {
      const { tenant, setting } = await readSetting(workspaceSlug);
      const usable = assertUsable(setting);
      await accounts.purgeExpiredAttempts(tenant.id);
      const saml = samlFor(usable, ssoUrls(baseUrl, tenant.slug).samlAcs, requestIdStore(tenant.id).provider);
      return saml.getAuthorizeUrlAsync('', undefined, {});
    },

    async consumeAssertion(workspaceSlug: string, body: SamlAcsBody, baseUrl: string, client: ClientInfo): Promise<SignedIn> {
      const { tenant, setting } = await readSetting(workspaceSlug);
      const usable = assertUsable(setting);
      const store = requestIdStore(tenant.id);
      const saml = samlFor(usable, ssoUrls(baseUrl, tenant.slug).samlAcs, store.provider);
      let profile: Profile | null;
      try {
        ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: body.SAMLResponse }));
      } catch (error) {
        throw toSsoError(error);
      }
      if (!profile || !store.wasConsumed()) {
        throw new SsoError('sso.saml_request_unknown', 'This answer does not belong to a sign-in started here, or was already used', 401);
      }
      const { email, name } = readSamlIdentity(profile);
      if (!email) throw new SsoError('sso.email_missing', 'The identity provider did not share an email address');
      return accounts.signIn('saml', { tenantId: tenant.id, allowedDomains: usable.allowedDomains, defaultRole: usable.defaultRole }, { email, name }, client);
    },

    /** SP metadata for the IdP; served before the settings exist so the IdP can be set up first. */
    async metadata(workspaceSlug: string, baseUrl: string): Promise<string> {
      const { tenant, setting } = await readSetting(workspaceSlug);
      const urls = ssoUrls(baseUrl, tenant.slug);
      return generateServiceProviderMetadata({
        issuer: setting?.spEntityId ?? urls.samlMetadata, callbackUrl: urls.samlAcs, identifierFormat: emailFormat, wantAssertionsSigned: true,
      });
    },
  };
}

export type SamlSignOn = ReturnType<typeof createSamlSignOn>;
