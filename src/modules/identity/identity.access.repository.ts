// Roles, teams and team membership: what the authorization engine loads for an actor.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';

// Grants and field rules read as text: the CamelCasePlugin would rename the keys inside them
// (an object `api_key`, a field rule on `customFields.base_salary`).
const roleJson = [sql<string>`grants::text`.as('grantsJson'), sql<string>`field_rules::text`.as('fieldRulesJson')] as const;

function withRoleJson<Row extends { grantsJson: string; fieldRulesJson: string }>(row: Row) {
  const { grantsJson, fieldRulesJson, ...rest } = row;
  return merged(rest, { grants: JSON.parse(grantsJson) as unknown, fieldRules: JSON.parse(fieldRulesJson) as unknown });
}

export const accessRepository = {
  async findRole(trx: Trx, key: string) {
    const row = await trx.selectFrom('role').selectAll().select(roleJson).where('key', '=', key).executeTakeFirst();
    return row && withRoleJson(row);
  },

  async listRoles(trx: Trx) {
    return (await trx.selectFrom('role').selectAll().select(roleJson).orderBy('key').execute()).map(withRoleJson);
  },

  async insertRole(trx: Trx, role: { tenantId: string; id: string; key: string; name: string; grants: string; fieldRules: string }) {
    return withRoleJson(await trx.insertInto('role').values(role).returningAll().returning(roleJson).executeTakeFirstOrThrow());
  },

  async updateRole(trx: Trx, key: string, values: { name?: string; grants?: string; fieldRules?: string }) {
    const row = await trx.updateTable('role').set(merged(values, { updatedAt: new Date() })).where('key', '=', key).returningAll().returning(roleJson).executeTakeFirst();
    return row && withRoleJson(row);
  },

  deleteRole(trx: Trx, key: string) {
    return trx.deleteFrom('role').where('key', '=', key).executeTakeFirst();
  },

  async isRoleInUse(trx: Trx, key: string): Promise<boolean> {
    const user = await trx.selectFrom('appUser').select('id').where('role', '=', key).limit(1).executeTakeFirst();
    const apiKey = await trx.selectFrom('apiKey').select('id').where('role', '=', key).where('revokedAt', 'is', null).limit(1).executeTakeFirst();
    return Boolean(user || apiKey);
  },

  /**
   * The users whose records a "team" scope covers: the user, the members of the user's own
   * teams, and the members of every team the user manages and of all teams below those.
   */
  async listTeamUserIds(trx: Trx, userId: string): Promise<string[]> {
    const { rows } = await sql<{ userId: string }>`
      with recursive managed as (
        select id from team where manager_id = ${userId}
        union
        select child.id from team child join managed on child.parent_id = managed.id
      ), visible as (
        select team_id as id from team_member where user_id = ${userId}
        union
        select id from managed
      )
      select distinct user_id from team_member where team_id in (select id from visible)
      union
      select ${userId}::uuid`.execute(trx);
    return rows.map((row) => row.userId);
  },

  listUsers(trx: Trx) {
    return trx.selectFrom('appUser').select(['id', 'name', 'email', 'role', 'disabledAt', 'createdAt']).orderBy('name').limit(5000).execute();
  },

  findUser(trx: Trx, id: string) {
    return trx.selectFrom('appUser').select(['id', 'name', 'email', 'role', 'disabledAt', 'createdAt']).where('id', '=', id).executeTakeFirst();
  },

  updateUser(trx: Trx, id: string, values: { name?: string; role?: string; disabledAt?: Date | null }) {
    return trx.updateTable('appUser').set(merged(values, { updatedAt: new Date() })).where('id', '=', id)
      .returning(['id', 'name', 'email', 'role', 'disabledAt', 'createdAt']).executeTakeFirstOrThrow();
  },

  async countActiveOwners(trx: Trx): Promise<number> {
    const row = await trx.selectFrom('appUser').select((eb) => eb.fn.countAll<string>().as('count')).where('role', '=', 'owner').where('disabledAt', 'is', null).executeTakeFirstOrThrow();
    return Number(row.count);
  },

  async listTeams(trx: Trx) {
    const teams = await trx.selectFrom('team').selectAll().orderBy('name').execute();
    const members = await trx.selectFrom('teamMember').select(['teamId', 'userId']).execute();
    return teams.map((team) => merged(team, { memberIds: members.filter((member) => member.teamId === team.id).map((member) => member.userId) }));
  },

  findTeam(trx: Trx, id: string) {
    return trx.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
  },

  insertTeam(trx: Trx, team: { tenantId: string; id: string; name: string; parentId: string | null; managerId: string | null }) {
    return trx.insertInto('team').values(team).returningAll().executeTakeFirstOrThrow();
  },

  updateTeam(trx: Trx, id: string, values: { name?: string; parentId?: string | null; managerId?: string | null }) {
    return trx.updateTable('team').set(merged(values, { updatedAt: new Date() })).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  deleteTeam(trx: Trx, id: string) {
    return trx.deleteFrom('team').where('id', '=', id).execute();
  },

  async listMemberIds(trx: Trx, teamId: string): Promise<string[]> {
    return (await trx.selectFrom('teamMember').select('userId').where('teamId', '=', teamId).execute()).map((row) => row.userId);
  },

  async replaceMembers(trx: Trx, tenantId: string, teamId: string, userIds: string[]) {
    await trx.deleteFrom('teamMember').where('teamId', '=', teamId).execute();
    if (userIds.length) await trx.insertInto('teamMember').values(userIds.map((userId) => ({ tenantId, teamId, userId }))).execute();
  },

  /** Whether walking up parents from `fromTeamId` (itself included) reaches `toTeamId`. */
  async reachesByParents(trx: Trx, fromTeamId: string, toTeamId: string): Promise<boolean> {
    const { rows } = await sql<{ found: boolean }>`
      with recursive above as (
        select id, parent_id from team where id = ${fromTeamId}
        union
        select parent.id, parent.parent_id from team parent join above on parent.id = above.parent_id
      )
      select exists (select 1 from above where id = ${toTeamId}) as found`.execute(trx);
    return rows[0].found;
  },

  async countUsers(trx: Trx, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const row = await trx.selectFrom('appUser').select((eb) => eb.fn.countAll<string>().as('count')).where('id', 'in', ids).executeTakeFirstOrThrow();
    return Number(row.count);
  },
};
