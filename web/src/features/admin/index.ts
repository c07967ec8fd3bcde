// Workspace administration for owners and admins: users and their roles, custom roles with
// their grants and field rules, teams, and the audit log of every change.
export { UsersPage } from './UsersPage';
export { RolesPage } from './RolesPage';
export { RoleDetailPage } from './RoleDetailPage';
export { TeamsPage } from './TeamsPage';
export { AuditPage } from './AuditPage';
export { isAdministratorRole } from './useAdminData';

/** The "Settings" links of the main navigation, shown to administrators only. */
export const settingsNavigation = [
  { to: '/settings/users', labelKey: 'admin.nav.users' },
  { to: '/settings/roles', labelKey: 'admin.nav.roles' },
  { to: '/settings/teams', labelKey: 'admin.nav.teams' },
  { to: '/settings/custom-fields', labelKey: 'customization.nav.customFields' },
  { to: '/settings/audit', labelKey: 'admin.nav.audit' },
  { to: '/settings/sso', labelKey: 'nav.singleSignOn' },
] as const;
