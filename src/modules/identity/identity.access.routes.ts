import { Type } from '@sinclair/typebox';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { CreateRole, CreateTeam, CreateUser, Role, RoleParams, Team, TeamMembers, UpdateRole, UpdateTeam, UpdateUser, WorkspaceUser } from './identity.access.schemas.js';
import type { AccessService } from './identity.access.service.js';

const writeErrors = { ...commonErrors, 409: ErrorResponse };
const items = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });

export function accessRoutes(app: App, { access }: { access: AccessService }) {
  let tags = ['users'];
  app.get('/users', { schema: { tags, summary: 'Users of the workspace', response: { 200: items(WorkspaceUser), ...commonErrors } } },
    async (request) => ({ items: await access.listUsers(request.actor) }));
  app.post('/users', { schema: { tags, summary: 'Add a user with a role (administrators)', body: CreateUser, response: { 201: WorkspaceUser, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await access.createUser(request.actor, request.body)));
  app.patch('/users/:id', { schema: { tags, summary: "Change a user's name or role, or disable them (administrators)", params: IdParams, body: UpdateUser, response: { 200: WorkspaceUser, ...writeErrors } } },
    (request) => access.updateUser(request.actor, request.params.id, request.body));

  tags = ['roles'];
  app.get('/roles', { schema: { tags, summary: 'Built-in and custom roles with their grants and field rules', response: { 200: items(Role), ...commonErrors } } },
    async (request) => ({ items: await access.listRoles(request.actor) }));
  app.get('/roles/objects', { schema: { tags, summary: 'The objects roles can grant on, with the fields field rules can name', response: { 200: items(Type.Object({ name: Type.String(), fields: Type.Array(Type.String()) })), ...commonErrors } } },
    async () => ({ items: access.listObjects() }));
  app.post('/roles', { schema: { tags, summary: 'Create a custom role (administrators)', body: CreateRole, response: { 201: Role, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await access.createRole(request.actor, request.body)));
  app.patch('/roles/:key', { schema: { tags, summary: 'Change a custom role (administrators)', params: RoleParams, body: UpdateRole, response: { 200: Role, ...writeErrors } } },
    (request) => access.updateRole(request.actor, request.params.key, request.body));
  app.delete('/roles/:key', { schema: { tags, summary: 'Delete an unused custom role (administrators)', params: RoleParams, response: { 204: Type.Null(), ...writeErrors } } },
    async (request, reply) => {
      await access.deleteRole(request.actor, request.params.key);
      return reply.code(204).send(null);
    });

  tags = ['teams'];
  app.get('/teams', { schema: { tags, summary: 'Teams with their manager, parent team and members', response: { 200: items(Team), ...commonErrors } } },
    async (request) => ({ items: await access.listTeams(request.actor) }));
  app.post('/teams', { schema: { tags, summary: 'Create a team (administrators)', body: CreateTeam, response: { 201: Team, ...writeErrors } } },
    async (request, reply) => reply.code(201).send(await access.createTeam(request.actor, request.body)));
  app.patch('/teams/:id', { schema: { tags, summary: 'Rename a team, move it, or change its manager (administrators)', params: IdParams, body: UpdateTeam, response: { 200: Team, ...writeErrors } } },
    (request) => access.updateTeam(request.actor, request.params.id, request.body));
  app.put('/teams/:id/members', { schema: { tags, summary: "Replace a team's members (administrators)", params: IdParams, body: TeamMembers, response: { 200: Team, ...writeErrors } } },
    (request) => access.setTeamMembers(request.actor, request.params.id, request.body.userIds));
  app.delete('/teams/:id', { schema: { tags, summary: 'Delete a team; sub-teams move to the top (administrators)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await access.deleteTeam(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
}
