import { Type, type Static } from '@sinclair/typebox';
import { actions, scopes } from '../../platform/authorization/policy.js';
import { Nullable } from '../../platform/http/schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const RoleKey = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'owner, admin, manager, sales_rep, support_agent, read_only, or a custom role key' });
const ScopeSchema = Type.Union(scopes.map((scope) => Type.Literal(scope)));
const Grants = Type.Record(Type.String({ maxLength: 40 }), Type.Partial(Type.Object(Object.fromEntries(actions.map((action) => [action, ScopeSchema])), { additionalProperties: false })),
  { description: 'object (or `*` for every object) → action → scope: none, own, team, all' });
const FieldRules = Type.Record(Type.String({ maxLength: 40 }), Type.Record(Type.String({ maxLength: 60 }), Type.Union([Type.Literal('hidden'), Type.Literal('read_only')])),
  { description: 'object → field → hidden or read_only' });

export const Role = Type.Object({ key: RoleKey, name: Type.String(), builtIn: Type.Boolean(), grants: Grants, fieldRules: FieldRules });
export type Role = Static<typeof Role>;
export const CreateRole = Type.Object({ key: RoleKey, name: Type.String({ minLength: 1, maxLength: 100 }), grants: Grants, fieldRules: Type.Optional(FieldRules) }, { additionalProperties: false });
export type CreateRole = Static<typeof CreateRole>;
export const UpdateRole = Type.Partial(Type.Omit(CreateRole, ['key']), { additionalProperties: false });
export type UpdateRole = Static<typeof UpdateRole>;
export const RoleParams = Type.Object({ key: RoleKey }, { additionalProperties: false });

export const WorkspaceUser = Type.Object({
  id: Uuid, name: Type.String(), email: Type.String(), role: Type.String(), disabled: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }),
});
export type WorkspaceUser = Static<typeof WorkspaceUser>;
export const CreateUser = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 10, maxLength: 200 }),
  role: RoleKey,
}, { additionalProperties: false });
export type CreateUser = Static<typeof CreateUser>;
export const UpdateUser = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleKey),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type UpdateUser = Static<typeof UpdateUser>;

export const Team = Type.Object({
  id: Uuid, name: Type.String(), parentId: Nullable(Uuid), managerId: Nullable(Uuid), memberIds: Type.Array(Uuid),
});
export type Team = Static<typeof Team>;
export const CreateTeam = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  parentId: Type.Optional(Nullable(Uuid)),
  managerId: Type.Optional(Nullable(Uuid)),
}, { additionalProperties: false });
export type CreateTeam = Static<typeof CreateTeam>;
export const UpdateTeam = Type.Partial(CreateTeam, { additionalProperties: false });
export type UpdateTeam = Static<typeof UpdateTeam>;
export const TeamMembers = Type.Object({ userIds: Type.Array(Uuid, { maxItems: 1000 }) }, { additionalProperties: false });
