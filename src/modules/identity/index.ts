// identity: workspaces (tenants), users, sessions and API keys — sign-up, sign-in and the
// authentication of every request. Owns tables tenant, app_user, session, api_key.
// Emits (through the change log): tenant.created, user.created, api_key.created/deleted.
export { createIdentityService, type IdentityService } from './identity.service.js';
export { identityRoutes } from './identity.routes.js';
export { registerIdentityJobs } from './identity.jobs.js';
// Single sign-on (OIDC, SAML): tables sso_oidc_setting, sso_saml_setting, sso_login_attempt.
export { createSingleSignOnService, type SingleSignOnService } from './identity.sso.service.js';
export { oidcClientSecretField } from './identity.oidc.js';
export { ssoRoutes } from './identity.sso.routes.js';
export { accessRoutes } from './identity.access.routes.js';
export { createAccessService, createPermissionSource, type AccessService } from './identity.access.service.js';
export { builtInRoles } from './identity.roles.js';
// Sign-in security (password policy, reset and change, throttling, TOTP, sessions): tables
// user_totp, totp_recovery_code, mfa_challenge, password_reset_token, sign_in_attempt.
export { assertPasswordAllowed, findPasswordWeakness } from './identity.password-policy.js';
export { createPasswordService, type PasswordService } from './identity.password-reset.js';
export { createTotpService, totpSecretField, type TotpService } from './identity.totp.js';
export { createSessionService, type SessionService } from './identity.sessions.js';
export { registerSignInSecurityJobs } from './identity.security.jobs.js';
export { signInSecurityRoutes } from './identity.security.routes.js';
