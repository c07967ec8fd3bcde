// The one decision point for record permissions. Every path — single records, lists,
// search, history, and later exports, imports, timelines, reports, webhook payloads — asks
// the Permissions of its actor. A list's scope becomes a SQL condition (ownerFilter), never
// a filter applied after the query.
import type { Actor } from '../actor.js';
import { AppError, ForbiddenError } from '../errors.js';
import { createRefreshingCache } from '../refreshing-cache.js';
import type { Action, ObjectDeclaration, RoleDefinition, Scope } from './policy.js';

/** Which owners' records a scope covers: every record, the listed owners', or none. */
export type OwnerFilter = { kind: 'all' } | { kind: 'owners'; ownerIds: string[] } | { kind: 'none' };

export interface PermissionSource {
  /** The role's definition: built-in or the tenant's custom role. */
  loadRole(tenantId: string, roleKey: string): Promise<RoleDefinition | undefined>;
  /** The users whose records "team" scope covers for this user (their teams, and sub-teams they manage). */
  loadTeamUserIds(tenantId: string, userId: string): Promise<string[]>;
}

export class PermissionDeniedError extends AppError {
  constructor(action: string, object: string, field?: string) {
    super(403, 'permission.denied', field ? `You may not change ${object}.${field}` : `You may not ${action} this ${object}`,
      field ? [{ field, message: 'is read only for your role' }] : undefined);
  }
}

export class Permissions {
  constructor(
    readonly actor: Actor,
    private readonly role: RoleDefinition,
    private readonly teamUserIds: string[],
    private readonly objects: Map<string, ObjectDeclaration>,
  ) {}

  scope(action: Action, object: string): Scope {
    return this.role.grants[object]?.[action] ?? this.role.grants['*']?.[action] ?? 'none';
  }

  can(action: Action, object: string): boolean {
    return this.scope(action, object) !== 'none';
  }

  assertCan(action: Action, object: string): void {
    if (!this.can(action, object)) throw new PermissionDeniedError(action, object);
  }

  ownerFilter(action: Action, object: string): OwnerFilter {
    const scope = this.scope(action, object);
    if (scope === 'all') return { kind: 'all' };
    if (scope === 'none' || !this.actor.userId) return { kind: 'none' };
    return { kind: 'owners', ownerIds: scope === 'own' ? [this.actor.userId] : this.teamUserIds };
  }

  /** Whether a record owned by `ownerId` is within the actor's scope for the action. */
  covers(action: Action, object: string, ownerId: string | null): boolean {
    const filter = this.ownerFilter(action, object);
    return filter.kind === 'all' || (filter.kind === 'owners' && ownerId !== null && filter.ownerIds.includes(ownerId));
  }

  hiddenFields(object: string): string[] {
    return Object.entries(this.fieldRules(object)).filter(([, rule]) => rule === 'hidden').map(([field]) => field);
  }

  /**
   * The record without the fields this role may not see. A rule may name a field inside an
   * object-valued field (`customFields.salary`): only that key is removed.
   */
  mask<T extends object>(object: string, record: T): T {
    const hidden = this.hiddenFields(object);
    if (hidden.length === 0) return record;
    const masked = { ...record } as Record<string, unknown>;
    for (const field of hidden) {
      const [parent, child] = splitNestedField(field);
      if (child === undefined) delete masked[parent];
      else if (typeof masked[parent] === 'object' && masked[parent] !== null) {
        const { [child]: _hidden, ...rest } = masked[parent] as Record<string, unknown>;
        masked[parent] = rest;
      }
    }
    return masked as T;
  }

  /** Refuses a write that sets a hidden, read-only or protected field, naming it. */
  assertWritable(object: string, input: object): void {
    const rules = this.fieldRules(object);
    const declaration = this.objects.get(object);
    for (const field of Object.keys(input)) {
      if (declaration?.protectedFields?.includes(field)) {
        throw new ForbiddenError('permission.field_protected', `${field} cannot be set`);
      }
      if (rules[field]) throw new PermissionDeniedError('update', object, field);
      const value = (input as Record<string, unknown>)[field];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      for (const key of Object.keys(value)) {
        if (rules[`${field}.${key}`]) throw new PermissionDeniedError('update', object, `${field}.${key}`);
      }
    }
  }

  /** Whether the actor may make `ownerId` a record's owner: its update scope must cover that owner. */
  canAssignOwner(object: string, ownerId: string | null): boolean {
    return this.covers('update', object, ownerId);
  }

  private fieldRules(object: string) {
    return this.role.fieldRules[object] ?? {};
  }
}

/** `customFields.salary` → ['customFields', 'salary']; a plain field has no child. */
function splitNestedField(field: string): [string, string | undefined] {
  const dot = field.indexOf('.');
  return dot < 0 ? [field, undefined] : [field.slice(0, dot), field.slice(dot + 1)];
}

export interface Authorization {
  declare(...objects: ObjectDeclaration[]): void;
  objects(): ObjectDeclaration[];
  of(actor: Actor): Promise<Permissions>;
  /** Forget cached roles and teams of a tenant after they change. */
  invalidate(tenantId: string): void;
}

export function createAuthorization(source: PermissionSource): Authorization {
  const declared = new Map<string, ObjectDeclaration>();
  // Roles and team membership change rarely and are read on every request: trusted for 5 s,
  // looked up again in the background after 4 s while in use (refreshing-cache.ts).
  const cache = createRefreshingCache<{ role: RoleDefinition; teamUserIds: string[] }>({ max: 10_000, ttlMs: 5_000, refreshAfterMs: 4_000 });
  const generations = new Map<string, number>();
  const unknownRole: RoleDefinition = { key: 'unknown', name: 'No access', builtIn: true, grants: {}, fieldRules: {} };

  return {
    declare(...objects) {
      for (const object of objects) declared.set(object.name, object);
    },
    objects: () => [...declared.values()],
    async of(actor) {
      const key = `${actor.tenantId}:${generations.get(actor.tenantId) ?? 0}:${actor.userId}:${actor.role}`;
      const entry = (await cache.get(key, async () => {
        const [role, teamUserIds] = await Promise.all([
          source.loadRole(actor.tenantId, actor.role),
          actor.userId ? source.loadTeamUserIds(actor.tenantId, actor.userId) : Promise.resolve([]),
        ]);
        return { value: { role: role ?? unknownRole, teamUserIds } };
      }))!;
      return new Permissions(actor, entry.role, entry.teamUserIds, declared);
    },
    invalidate(tenantId) {
      generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
    },
  };
}
