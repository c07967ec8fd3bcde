// Administration of who may do what: users and their roles, custom roles, teams. Also the
// PermissionSource the authorization engine reads roles and team membership from.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { assertAdministrator } from '../../platform/authorization/admin.js';
import type { Authorization, PermissionSource } from '../../platform/authorization/authorization.js';
import { actions, isScope, type RoleDefinition } from '../../platform/authorization/policy.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { merged } from '../../platform/objects.js';
import { accessRepository as repository } from './identity.access.repository.js';
import type { CreateRole, CreateTeam, CreateUser, Role, Team, UpdateRole, UpdateTeam, UpdateUser, WorkspaceUser } from './identity.access.schemas.js';
import { builtInRoleKeys, builtInRoles, findBuiltInRole } from './identity.roles.js';
import type { IdentityService } from './identity.service.js';

type RoleRow = NonNullable<Awaited<ReturnType<typeof repository.findRole>>>;
type UserRow = NonNullable<Awaited<ReturnType<typeof repository.findUser>>>;

const toRole = (row: RoleRow): RoleDefinition => ({
  key: row.key, name: row.name, builtIn: false, grants: row.grants as RoleDefinition['grants'], fieldRules: row.fieldRules as RoleDefinition['fieldRules'],
});
const toUser = (row: UserRow): WorkspaceUser => ({
  id: row.id, name: row.name, email: row.email, role: row.role, disabled: row.disabledAt !== null, createdAt: row.createdAt.toISOString(),
});

/** Where the authorization engine reads roles (built-in or custom) and team membership. */
export function createPermissionSource({ database }: { database: Database }): PermissionSource {
  return {
    async loadRole(tenantId, key) {
      const builtIn = findBuiltInRole(key);
      if (builtIn) return builtIn;
      const row = await database.readTenant(tenantId, (trx) => repository.findRole(trx, key));
      return row ? toRole(row) : undefined;
    },
    loadTeamUserIds: (tenantId, userId) => database.readTenant(tenantId, (trx) => repository.listTeamUserIds(trx, userId)),
  };
}

export function createAccessService({ database, authorization, identity }: { database: Database; authorization: Authorization; identity: IdentityService }) {
  /** Grants and field rules may only name declared objects, their fields, and known actions and scopes. */
  function checkRoleBody(input: UpdateRole) {
    const objects = new Map(authorization.objects().map((object) => [object.name, object]));
    for (const [object, grant] of Object.entries(input.grants ?? {})) {
      if (object !== '*' && !objects.has(object)) throw new FieldError('role.object_unknown', 'grants', `There is no object called ${object}`);
      for (const [action, scope] of Object.entries(grant)) {
        if (!(actions as readonly string[]).includes(action) || !isScope(scope)) throw new FieldError('role.grant_invalid', 'grants', `${object}.${action} = ${scope} is not a grant`);
      }
    }
    for (const [object, rules] of Object.entries(input.fieldRules ?? {})) {
      const declaration = objects.get(object);
      if (!declaration) throw new FieldError('role.object_unknown', 'fieldRules', `There is no object called ${object}`);
      for (const field of Object.keys(rules)) {
        // `customFields.<key>` names one custom field; its definition may come later.
        const isNested = declaration.fields.includes(field.split('.')[0]) && /^[A-Za-z]+\.[a-z][a-z0-9_]*$/.test(field);
        if (!declaration.fields.includes(field) && !isNested) throw new FieldError('role.field_unknown', 'fieldRules', `${object} has no field ${field}`);
      }
    }
  }

  async function assertRoleExists(trx: Trx, key: string) {
    if (!builtInRoleKeys.has(key) && !(await repository.findRole(trx, key))) throw new FieldError('role.not_found', 'role', `There is no role ${key}`);
  }

  async function withChange<T>(actor: Actor, work: (trx: Trx) => Promise<T>): Promise<T> {
    assertAdministrator(actor);
    const result = await database.forTenant(actor.tenantId, work);
    authorization.invalidate(actor.tenantId);
    return result;
  }

  return {
    /** The objects roles can grant on, and the fields their field rules can name. */
    listObjects(): Array<{ name: string; fields: string[] }> {
      return authorization.objects().map((object) => ({ name: object.name, fields: [...object.fields] }));
    },

    async listRoles(actor: Actor): Promise<Role[]> {
      const custom = await database.forTenant(actor.tenantId, (trx) => repository.listRoles(trx));
      return [...builtInRoles, ...custom.map(toRole)];
    },

    createRole(actor: Actor, input: CreateRole): Promise<Role> {
      if (builtInRoleKeys.has(input.key)) throw new ConflictError('role.key_taken', 'key', `${input.key} is a built-in role`);
      checkRoleBody(input);
      return withChange(actor, async (trx) => {
        if (await repository.findRole(trx, input.key)) throw new ConflictError('role.key_taken', 'key', `A role ${input.key} exists`);
        const row = await repository.insertRole(trx, {
          tenantId: actor.tenantId, id: uuidv7(), key: input.key, name: input.name, grants: JSON.stringify(input.grants), fieldRules: JSON.stringify(input.fieldRules ?? {}),
        });
        await appendChange(trx, actor, { entity: 'role', entityId: row.id, operation: 'create', after: { key: row.key, name: row.name, grants: row.grants, fieldRules: row.fieldRules } });
        return toRole(row);
      });
    },

    updateRole(actor: Actor, key: string, input: UpdateRole): Promise<Role> {
      if (builtInRoleKeys.has(key)) throw new ForbiddenError('role.built_in', 'Built-in roles cannot be changed; make a custom role');
      checkRoleBody(input);
      return withChange(actor, async (trx) => {
        const before = await repository.findRole(trx, key);
        if (!before) throw new NotFoundError('role', key);
        const after = (await repository.updateRole(trx, key, {
          name: input.name, grants: input.grants && JSON.stringify(input.grants), fieldRules: input.fieldRules && JSON.stringify(input.fieldRules),
        }))!;
        await appendChange(trx, actor, { entity: 'role', entityId: before.id, operation: 'update',
          before: { name: before.name, grants: before.grants, fieldRules: before.fieldRules }, after: { name: after.name, grants: after.grants, fieldRules: after.fieldRules } });
        return toRole(after);
      });
    },

    deleteRole(actor: Actor, key: string): Promise<void> {
      if (builtInRoleKeys.has(key)) throw new ForbiddenError('role.built_in', 'Built-in roles cannot be deleted');
      return withChange(actor, async (trx) => {
        const role = await repository.findRole(trx, key);
        if (!role) throw new NotFoundError('role', key);
        if (await repository.isRoleInUse(trx, key)) throw new ConflictError('role.in_use', 'key', 'Users or API keys still have this role');
        await repository.deleteRole(trx, key);
        await appendChange(trx, actor, { entity: 'role', entityId: role.id, operation: 'delete', before: { key: role.key, name: role.name } });
      });
    },

    async listUsers(actor: Actor): Promise<WorkspaceUser[]> {
      return (await database.forTenant(actor.tenantId, (trx) => repository.listUsers(trx))).map(toUser);
    },

    async createUser(actor: Actor, input: CreateUser): Promise<WorkspaceUser> {
      assertAdministrator(actor);
      await database.forTenant(actor.tenantId, (trx) => assertRoleExists(trx, input.role));
      if (input.role === 'owner' && actor.role !== 'owner') throw new ForbiddenError('user.owner_change_refused', 'Only an owner can make another owner');
      const user = await identity.addUser(actor, input);
      authorization.invalidate(actor.tenantId);
      return toUser(merged(user, { disabledAt: null }));
    },

    updateUser(actor: Actor, id: string, input: UpdateUser): Promise<WorkspaceUser> {
      return withChange(actor, async (trx) => {
        const before = await repository.findUser(trx, id);
        if (!before) throw new NotFoundError('user', id);
        if (input.role !== undefined) await assertRoleExists(trx, input.role);
        if ((before.role === 'owner' || input.role === 'owner') && actor.role !== 'owner' && input.role !== before.role && input.role !== undefined) {
          throw new ForbiddenError('user.owner_change_refused', 'Only an owner can make or unmake an owner');
        }
        if (id === actor.userId && (input.disabled || (input.role !== undefined && input.role !== before.role))) {
          throw new ForbiddenError('user.self_change_refused', 'You cannot disable yourself or change your own role');
        }
        const after = await repository.updateUser(trx, id, {
          name: input.name, role: input.role, disabledAt: input.disabled === undefined ? undefined : input.disabled ? new Date() : null,
        });
        if (before.role === 'owner' && (await repository.countActiveOwners(trx)) === 0) {
          throw new ConflictError('user.last_owner', 'role', 'A workspace needs at least one active owner');
        }
        await appendChange(trx, actor, { entity: 'user', entityId: id, operation: 'update',
          before: { name: before.name, role: before.role, disabled: before.disabledAt !== null }, after: { name: after.name, role: after.role, disabled: after.disabledAt !== null } });
        if (after.disabledAt) identity.forgetAuthentications();
        return toUser(after);
      });
    },

    async listTeams(actor: Actor): Promise<Team[]> {
      const teams = await database.forTenant(actor.tenantId, (trx) => repository.listTeams(trx));
      return teams.map((team) => ({ id: team.id, name: team.name, parentId: team.parentId, managerId: team.managerId, memberIds: team.memberIds }));
    },

    createTeam(actor: Actor, input: CreateTeam): Promise<Team> {
      return withChange(actor, async (trx) => {
        await checkTeamReferences(trx, input);
        const team = await repository.insertTeam(trx, { tenantId: actor.tenantId, id: uuidv7(), name: input.name, parentId: input.parentId ?? null, managerId: input.managerId ?? null });
        await appendChange(trx, actor, { entity: 'team', entityId: team.id, operation: 'create', after: { name: team.name, parentId: team.parentId, managerId: team.managerId } });
        return { id: team.id, name: team.name, parentId: team.parentId, managerId: team.managerId, memberIds: [] };
      });
    },

    updateTeam(actor: Actor, id: string, input: UpdateTeam): Promise<Team> {
      return withChange(actor, async (trx) => {
        const before = await repository.findTeam(trx, id);
        if (!before) throw new NotFoundError('team', id);
        await checkTeamReferences(trx, input);
        if (input.parentId && (await repository.reachesByParents(trx, input.parentId, id))) {
          throw new FieldError('team.parent_loop', 'parentId', 'A team cannot sit below itself');
        }
        const after = await repository.updateTeam(trx, id, input);
        await appendChange(trx, actor, { entity: 'team', entityId: id, operation: 'update',
          before: { name: before.name, parentId: before.parentId, managerId: before.managerId }, after: { name: after.name, parentId: after.parentId, managerId: after.managerId } });
        return { id, name: after.name, parentId: after.parentId, managerId: after.managerId, memberIds: await repository.listMemberIds(trx, id) };
      });
    },

    deleteTeam(actor: Actor, id: string): Promise<void> {
      return withChange(actor, async (trx) => {
        const team = await repository.findTeam(trx, id);
        if (!team) throw new NotFoundError('team', id);
        await repository.deleteTeam(trx, id);
        await appendChange(trx, actor, { entity: 'team', entityId: id, operation: 'delete', before: { name: team.name } });
      });
    },

    setTeamMembers(actor: Actor, id: string, userIds: string[]): Promise<Team> {
      return withChange(actor, async (trx) => {
        const team = await repository.findTeam(trx, id);
        if (!team) throw new NotFoundError('team', id);
        const unique = [...new Set(userIds)];
        if ((await repository.countUsers(trx, unique)) !== unique.length) throw new FieldError('team.member_unknown', 'userIds', 'Some of these users are not in this workspace');
        const before = await repository.listMemberIds(trx, id);
        await repository.replaceMembers(trx, actor.tenantId, id, unique);
        await appendChange(trx, actor, { entity: 'team', entityId: id, operation: 'update', before: { memberIds: before }, after: { memberIds: unique } });
        return { id, name: team.name, parentId: team.parentId, managerId: team.managerId, memberIds: unique };
      });
    },
  };

  async function checkTeamReferences(trx: Trx, input: UpdateTeam) {
    if (input.parentId && !(await repository.findTeam(trx, input.parentId))) throw new FieldError('team.parent_not_found', 'parentId', 'No such team');
    if (input.managerId && (await repository.countUsers(trx, [input.managerId])) !== 1) throw new FieldError('team.manager_not_found', 'managerId', 'No such user');
  }
}

export type AccessService = ReturnType<typeof createAccessService>;
