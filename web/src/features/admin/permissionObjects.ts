import type { Action, FieldRule, Role, Scope } from './adminApi';

// The objects a role can grant on and the fields it can hide or make read only. The API has
// no endpoint listing them, so they mirror the server's object declarations
// (src/modules/customers/customers.objects.ts); a new object needs a line here.
export const permissionObjects = [
  { name: 'company', fields: ['name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country', 'ownerId'] },
  { name: 'contact', fields: ['name', 'email', 'phone', 'title', 'companyId', 'ownerId'] },
] as const;

/** `*` grants every object that has no grant of its own for that action. */
export const allObjects = '*';

export const grantRows = [allObjects, ...permissionObjects.map((object) => object.name)];

/** The value a grid cell shows for "no grant of its own, the `*` row applies". */
export const inherit = 'inherit';

export function readGrant(grants: Role['grants'], object: string, action: Action): Scope | typeof inherit {
  const own = grants[object]?.[action];
  if (own) return own;
  return object === allObjects ? 'none' : inherit;
}

/** Sets or clears one cell, dropping objects left without any grant so the role stays tidy. */
export function writeGrant(grants: Role['grants'], object: string, action: Action, value: string): Role['grants'] {
  const next = { ...grants, [object]: { ...grants[object] } };
  if (value === inherit) delete next[object][action];
  else next[object][action] = value as Scope;
  if (Object.keys(next[object]).length === 0) delete next[object];
  return next;
}

export type FieldRuleChoice = FieldRule | 'none';

export function readFieldRule(fieldRules: Role['fieldRules'], object: string, field: string): FieldRuleChoice {
  return fieldRules[object]?.[field] ?? 'none';
}

export function writeFieldRule(fieldRules: Role['fieldRules'], object: string, field: string, rule: FieldRuleChoice): Role['fieldRules'] {
  const next = { ...fieldRules, [object]: { ...fieldRules[object] } };
  if (rule === 'none') delete next[object][field];
  else next[object][field] = rule;
  if (Object.keys(next[object]).length === 0) delete next[object];
  return next;
}
