// Single sign-on: the "Sign in with SSO" entry on the sign-in page and the administrators'
// page for the workspace's OpenID Connect and SAML settings.
export { SsoSignIn } from './SsoSignIn';
export { SsoSettingsPage } from './SsoSettingsPage';
