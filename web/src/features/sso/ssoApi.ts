import { requestApi } from '../../shared/api';

export const ssoRoles = ['owner', 'admin', 'manager', 'sales_rep', 'support_agent', 'read_only'] as const;
export type SsoRole = (typeof ssoRoles)[number];
export type SsoProtocol = 'oidc' | 'saml';

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  hasClientSecret: boolean;
  allowedDomains: string[];
  defaultRole: SsoRole;
  enabled: boolean;
  redirectUri: string;
  startUrl: string;
  updatedAt: string | null;
}

export interface OidcSettingsInput {
  issuerUrl: string;
  clientId: string;
  /** Left out to keep the stored secret. */
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: SsoRole;
  enabled: boolean;
}

export interface SamlSettings {
  entryPoint: string;
  idpCertificate: string;
  spEntityId: string;
  allowedDomains: string[];
  defaultRole: SsoRole;
  enabled: boolean;
  acsUrl: string;
  metadataUrl: string;
  startUrl: string;
  updatedAt: string | null;
}

export interface SamlSettingsInput {
  entryPoint: string;
  idpCertificate: string;
  spEntityId?: string;
  allowedDomains: string[];
  defaultRole: SsoRole;
  enabled: boolean;
}

export const ssoQueryKeys = {
  oidc: ['sso', 'oidc'] as const,
  saml: ['sso', 'saml'] as const,
};

export const ssoApi = {
  getOidc: (signal?: AbortSignal) => requestApi<OidcSettings>('/workspace/sso/oidc', { signal }),
  saveOidc: (input: OidcSettingsInput) => requestApi<OidcSettings>('/workspace/sso/oidc', { method: 'PUT', body: input }),
  getSaml: (signal?: AbortSignal) => requestApi<SamlSettings>('/workspace/sso/saml', { signal }),
  saveSaml: (input: SamlSettingsInput) => requestApi<SamlSettings>('/workspace/sso/saml', { method: 'PUT', body: input }),
};

/** The browser leaves the app here: the server redirects it on to the identity provider. */
export function ssoStartUrl(workspaceSlug: string, protocol: SsoProtocol): string {
  return `/api/v1/auth/sso/${encodeURIComponent(workspaceSlug.trim().toLowerCase())}/${protocol}/start`;
}

/** "acme.com, example.org" or one per line → ['acme.com', 'example.org']. */
export function parseDomains(text: string): string[] {
  return text.split(/[\s,;]+/).map((domain) => domain.trim().toLowerCase()).filter(Boolean);
}
