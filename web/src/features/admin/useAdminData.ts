import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../shared/session';
import { adminApi, adminQueryKeys } from './adminApi';

// Workspace administration is for the owner and admins; the server enforces it, the UI only
// spares everyone else a page of errors.
const administratorRoles = new Set(['owner', 'admin']);

export function isAdministratorRole(role: string | undefined): boolean {
  return role !== undefined && administratorRoles.has(role);
}

export function useIsAdministrator(): boolean {
  const { session } = useSession();
  return isAdministratorRole(session?.user.role);
}

export function useUsers() {
  return useQuery({ queryKey: adminQueryKeys.users, queryFn: ({ signal }) => adminApi.listUsers(signal).then((page) => page.items) });
}

export function useRoles() {
  return useQuery({ queryKey: adminQueryKeys.roles, queryFn: ({ signal }) => adminApi.listRoles(signal).then((page) => page.items) });
}

export function useTeams() {
  return useQuery({ queryKey: adminQueryKeys.teams, queryFn: ({ signal }) => adminApi.listTeams(signal).then((page) => page.items) });
}

/** After any administrative write: the lists, and the audit log that recorded it. */
export function useAdminInvalidation() {
  const queryClient = useQueryClient();
  return (key: 'users' | 'roles' | 'teams') =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: adminQueryKeys[key] }),
      queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] }),
    ]);
}
