// Single sign-on for a workspace: OIDC and SAML sign-in, and their settings. The shared
// rules (allowed domains, just-in-time users) live in identity.sso.accounts.ts.
import type { Database } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { createOidcSignOn } from './identity.oidc.js';
import { createSamlSignOn } from './identity.saml.js';
import type { IdentityService } from './identity.service.js';
import { createSsoAccounts } from './identity.sso.accounts.js';

export function createSingleSignOnService({ database, identity, encryption, publicUrl }: {
  database: Database; identity: IdentityService; encryption: Pick<FieldEncryption, 'cipherFor' | 'decrypt'>; publicUrl: string | undefined;
}) {
  const accounts = createSsoAccounts({ database, identity });
  return {
    /** RAPPORT_PUBLIC_URL when set; otherwise the address the request came to. */
    baseUrlFor: (requestOrigin: string) => publicUrl ?? requestOrigin,
    oidc: createOidcSignOn({ database, accounts, encryption }),
    saml: createSamlSignOn({ database, accounts }),
  };
}

export type SingleSignOnService = ReturnType<typeof createSingleSignOnService>;
