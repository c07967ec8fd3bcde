// Single sign-on settings (OIDC and SAML) as the admin API shows and accepts them.
import { Type, type Static } from '@sinclair/typebox';

export const ssoRoleKeys = ['owner', 'admin', 'manager', 'sales_rep', 'support_agent', 'read_only'] as const;
export const defaultSsoRole = 'sales_rep';

const SsoRole = Type.Union(ssoRoleKeys.map((key) => Type.Literal(key)), {
  description: 'The role of a user created at their first single sign-on',
});

// Lower-case host names; `*` and schemes are not domains.
const EmailDomain = Type.String({ minLength: 3, maxLength: 253, pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$' });
const AllowedDomains = Type.Array(EmailDomain, {
  maxItems: 50,
  description: 'Email domains whose users may sign in; at least one is needed to enable sign-in',
});

export const OidcSettings = Type.Object({
  issuerUrl: Type.String({ description: 'The OpenID provider issuer (discovery at /.well-known/openid-configuration)' }),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean({ description: 'The secret itself is never shown again' }),
  allowedDomains: Type.Array(Type.String()),
  defaultRole: Type.String(),
  enabled: Type.Boolean(),
  redirectUri: Type.String({ description: 'Register this redirect URI with the provider' }),
  startUrl: Type.String({ description: 'Where the sign-in starts for this workspace' }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type OidcSettings = Static<typeof OidcSettings>;

export const PutOidcSettings = Type.Object({
  issuerUrl: Type.String({ format: 'uri', minLength: 1, maxLength: 500 }),
  clientId: Type.String({ minLength: 1, maxLength: 500 }),
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Leave out to keep the stored secret' })),
  allowedDomains: AllowedDomains,
  defaultRole: Type.Optional(SsoRole),
  enabled: Type.Boolean(),
}, { additionalProperties: false });
export type PutOidcSettings = Static<typeof PutOidcSettings>;

export const SamlSettings = Type.Object({
  entryPoint: Type.String({ description: 'The IdP single sign-on URL (HTTP-Redirect binding)' }),
  idpCertificate: Type.String({ description: 'The IdP signing certificate, PEM' }),
  spEntityId: Type.String({ description: 'Rapport’s entity id; assertions must name it as their audience' }),
  allowedDomains: Type.Array(Type.String()),
  defaultRole: Type.String(),
  enabled: Type.Boolean(),
  acsUrl: Type.String({ description: 'Assertion consumer service URL (HTTP-POST)' }),
  metadataUrl: Type.String({ description: 'Service provider metadata for the IdP' }),
  startUrl: Type.String({ description: 'Where the sign-in starts for this workspace' }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type SamlSettings = Static<typeof SamlSettings>;

export const PutSamlSettings = Type.Object({
  entryPoint: Type.String({ format: 'uri', minLength: 1, maxLength: 1000 }),
  idpCertificate: Type.String({ minLength: 1, maxLength: 20_000 }),
  spEntityId: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Defaults to the metadata URL' })),
  allowedDomains: AllowedDomains,
  defaultRole: Type.Optional(SsoRole),
  enabled: Type.Boolean(),
}, { additionalProperties: false });
export type PutSamlSettings = Static<typeof PutSamlSettings>;

export const WorkspaceSlugParams = Type.Object({
  workspaceSlug: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }),
}, { additionalProperties: false });
export type WorkspaceSlugParams = Static<typeof WorkspaceSlugParams>;

// Providers add parameters of their own to the redirect (iss, session_state, scope, …), and
// openid-client checks the whole response, so this query schema lets unknown names through.
export const OidcCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: true });
export type OidcCallbackQuery = Static<typeof OidcCallbackQuery>;

export const SamlAcsBody = Type.Object({
  SAMLResponse: Type.String({ minLength: 1, maxLength: 1_000_000 }),
  RelayState: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type SamlAcsBody = Static<typeof SamlAcsBody>;
