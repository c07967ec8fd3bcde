// What the change log records today (src/platform/change-log.ts and its callers); the
// filters offer these, and the server accepts any other lower-case name as well.
export const auditEntities = [
  'company', 'contact', 'user', 'role', 'team', 'api_key', 'tenant', 'session', 'password_reset', 'sso_oidc_setting', 'sso_saml_setting',
] as const;

export const auditOperations = ['create', 'update', 'delete', 'merge', 'merged', 'unmerge', 'restore', 'sign_in', 'sign_in_failed'] as const;

/** Records that have a page of their own in the app. */
export function recordPath(entity: string, id: string): string | undefined {
  if (entity === 'contact') return `/contacts/${id}`;
  if (entity === 'company') return `/companies/${id}`;
  return undefined;
}
