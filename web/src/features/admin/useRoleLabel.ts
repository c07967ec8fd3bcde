import { useTranslation } from 'react-i18next';
import type { Role } from './adminApi';

/**
 * A role's name for people: built-in roles are translated by key (the server names them in
 * English), custom roles keep the name their administrator gave them.
 */
export function useRoleLabel(roles: Role[] | undefined) {
  const { t } = useTranslation();
  return (key: string) => {
    const role = roles?.find((candidate) => candidate.key === key);
    if (role && !role.builtIn) return role.name;
    return t(`admin.roleNames.${key}`, { defaultValue: role?.name ?? key });
  };
}
