// The vocabulary of permissions. A role grants, per object and action, a scope; and may mark
// fields of an object hidden or read only. Objects are declared by the modules that own them.
export const actions = ['read', 'create', 'update', 'delete', 'import', 'export'] as const;
export type Action = (typeof actions)[number];

export const scopes = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof scopes)[number];

export type FieldRule = 'hidden' | 'read_only';

export interface RoleDefinition {
  key: string;
  name: string;
  builtIn: boolean;
  /** object → action → scope; anything missing is `none`. */
  grants: Record<string, Partial<Record<Action, Scope>>>;
  /** object → field → rule. */
  fieldRules: Record<string, Record<string, FieldRule>>;
}

/** What a module tells the engine about one of its objects. */
export interface ObjectDeclaration {
  /** The name used in grants and field rules and the change log's entity: `contact`, `deal`, ... */
  name: string;
  /** Its table, whose `owner_id` tells whose record it is (history reads use it). */
  table: string;
  /** The record field holding the owning user's id, which `own` and `team` scopes compare. */
  ownerField: string;
  /** Fields a role may hide or make read only. */
  fields: readonly string[];
  /** Fields no body may set whatever the role (ids, tenant, timestamps...). */
  protectedFields?: readonly string[];
}

const scopeRank: Record<Scope, number> = { none: 0, own: 1, team: 2, all: 3 };

export function widerScope(a: Scope, b: Scope): Scope {
  return scopeRank[a] >= scopeRank[b] ? a : b;
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (scopes as readonly string[]).includes(value);
}
