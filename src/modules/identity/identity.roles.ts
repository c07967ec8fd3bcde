// Built-in roles. A custom role (table `role`) grants the same way; `app_user.role` and
// `api_key.role` hold a role key, built-in or custom.
import type { RoleDefinition, Scope } from '../../platform/authorization/policy.js';

const everything = (scope: Scope) => ({ read: scope, create: scope, update: scope, delete: scope, import: scope, export: scope });

// `*` applies to every object that has no grant of its own, including objects of modules
// that land later; a role that must not see them names them with `none`.
export const builtInRoles: RoleDefinition[] = [
  { key: 'owner', name: 'Owner', builtIn: true, grants: { '*': everything('all') }, fieldRules: {} },
  { key: 'admin', name: 'Admin', builtIn: true, grants: { '*': everything('all') }, fieldRules: {} },
  {
    key: 'manager', name: 'Manager', builtIn: true,
    grants: { '*': { read: 'all', create: 'all', update: 'team', delete: 'team', import: 'all', export: 'all' } },
    fieldRules: {},
  },
  {
    key: 'sales_rep', name: 'Sales rep', builtIn: true,
    grants: { '*': { read: 'team', create: 'all', update: 'own', delete: 'own', import: 'none', export: 'own' } },
    fieldRules: {},
  },
  {
    key: 'support_agent', name: 'Support agent', builtIn: true,
    grants: { '*': { read: 'all', create: 'all', update: 'team', delete: 'none', import: 'none', export: 'none' } },
    fieldRules: { deal: { amount: 'hidden' } },
  },
  {
    key: 'read_only', name: 'Read only', builtIn: true,
    grants: { '*': { read: 'all' } },
    fieldRules: { contact: { phone: 'hidden' } },
  },
];

export const builtInRoleKeys = new Set(builtInRoles.map((role) => role.key));

export function findBuiltInRole(key: string): RoleDefinition | undefined {
  return builtInRoles.find((role) => role.key === key);
}
