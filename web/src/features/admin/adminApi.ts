import { api, requestApi, toQueryString, type QueryValue } from '../../shared/api';

// Shapes of the workspace administration endpoints (users, roles, teams, the audit log).

export const scopes = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof scopes)[number];

export const actions = ['read', 'create', 'update', 'delete', 'import', 'export'] as const;
export type Action = (typeof actions)[number];

export type FieldRule = 'hidden' | 'read_only';

export interface WorkspaceUser {
  id: string;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
  createdAt: string;
}

export interface Role {
  key: string;
  name: string;
  builtIn: boolean;
  /** object (or `*` for every object without its own grant) → action → scope; missing = none. */
  grants: Record<string, Partial<Record<Action, Scope>>>;
  /** object → field → rule; a missing field has no rule. */
  fieldRules: Record<string, Record<string, FieldRule>>;
}

export interface Team {
  id: string;
  name: string;
  parentId: string | null;
  managerId: string | null;
  memberIds: string[];
}

export interface AuditItem {
  seq: number;
  entity: string;
  entityId: string;
  operation: string;
  actor: { id: string; name: string | null } | null;
  actorType?: string;
  ip?: string | null;
  at: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

export interface AuditFilters {
  actorId?: string;
  entity?: string;
  operation?: string;
  /** ISO date-times; `to` is exclusive on the server. */
  from?: string;
  to?: string;
}

export interface CreateUserInput {
  name: string;
  email: string;
  password: string;
  role: string;
}

export interface UpdateUserInput {
  name?: string;
  role?: string;
  disabled?: boolean;
}

export interface RoleInput {
  key: string;
  name: string;
  grants: Role['grants'];
  fieldRules?: Role['fieldRules'];
}

export interface TeamInput {
  name: string;
  parentId: string | null;
  managerId: string | null;
}

export const adminQueryKeys = {
  users: ['admin', 'users'] as const,
  roles: ['admin', 'roles'] as const,
  teams: ['admin', 'teams'] as const,
  audit: (filters: AuditFilters, cursor: string | undefined) => ['admin', 'audit', filters, cursor ?? null] as const,
};

const auditLimit = 50;
const segment = encodeURIComponent;

export const adminApi = {
  listUsers: (signal?: AbortSignal) => api.get<{ items: WorkspaceUser[] }>('/users', undefined, signal),
  createUser: (input: CreateUserInput) => api.post<WorkspaceUser>('/users', input),
  updateUser: (id: string, input: UpdateUserInput) => api.patch<WorkspaceUser>(`/users/${segment(id)}`, input),

  listRoles: (signal?: AbortSignal) => api.get<{ items: Role[] }>('/roles', undefined, signal),
  createRole: (input: RoleInput) => api.post<Role>('/roles', input),
  updateRole: (key: string, input: Partial<Omit<RoleInput, 'key'>>) => api.patch<Role>(`/roles/${segment(key)}`, input),
  deleteRole: (key: string) => api.delete(`/roles/${segment(key)}`),

  listTeams: (signal?: AbortSignal) => api.get<{ items: Team[] }>('/teams', undefined, signal),
  createTeam: (input: TeamInput) => api.post<Team>('/teams', input),
  updateTeam: (id: string, input: Partial<TeamInput>) => api.patch<Team>(`/teams/${segment(id)}`, input),
  // The shared client has no `put` shorthand; requestApi takes the method directly.
  setTeamMembers: (id: string, userIds: string[]) =>
    requestApi<Team>(`/teams/${segment(id)}/members`, { method: 'PUT', body: { userIds } }),
  deleteTeam: (id: string) => api.delete(`/teams/${segment(id)}`),

  listAudit: (filters: AuditFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<AuditPage>('/audit', { ...toAuditQuery(filters), cursor, limit: auditLimit }, signal),
};

function toAuditQuery(filters: AuditFilters): Record<string, QueryValue> {
  return { actorId: filters.actorId, entity: filters.entity, operation: filters.operation, from: filters.from, to: filters.to };
}

/** The CSV download: a plain GET the session cookie authenticates, so a link is enough. */
export function buildAuditExportUrl(filters: AuditFilters): string {
  return `/api/v1/audit/export${toQueryString(toAuditQuery(filters))}`;
}
