import { Alert, Anchor, Badge, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ConfirmDeleteButton } from '../../shared/ui';
import { adminApi } from './adminApi';
import { AdminPage, AdminQueryState } from './AdminPage';
import { RoleEditor } from './RoleEditor';
import { useAdminInvalidation, useRoles } from './useAdminData';
import { useRoleLabel } from './useRoleLabel';

export function RoleDetailPage() {
  const { t } = useTranslation();
  return (
    <AdminPage title={t('admin.roles.detailTitle')}>
      <Anchor component={Link} to="/settings/roles" size="sm">
        ← {t('admin.roles.backToList')}
      </Anchor>
      <RoleDetail />
    </AdminPage>
  );
}

function RoleDetail() {
  const { t } = useTranslation();
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const roles = useRoles();
  const roleLabel = useRoleLabel(roles.data);
  const invalidate = useAdminInvalidation();
  if (roles.isPending || roles.error) return <AdminQueryState isPending={roles.isPending} error={roles.error} />;
  const role = roles.data.find((candidate) => candidate.key === key);
  if (!role) return <Alert color="yellow">{t('admin.roles.notFound', { key })}</Alert>;

  const remove = async () => {
    await adminApi.deleteRole(role.key);
    await invalidate('roles');
    void navigate('/settings/roles', { replace: true });
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={3}>{roleLabel(role.key)}</Title>
          <Code>{role.key}</Code>
          {role.builtIn ? <Badge color="gray">{t('admin.roles.builtIn')}</Badge> : <Badge color="indigo">{t('admin.roles.custom')}</Badge>}
        </Group>
        {!role.builtIn && <ConfirmDeleteButton name={role.name} onConfirm={remove} />}
      </Group>
      {role.builtIn && (
        <Alert color="blue" variant="light">
          <Text size="sm">{t('admin.roles.builtInHint')}</Text>
        </Alert>
      )}
      {/* Keyed by role so switching roles starts from that role's saved permissions. */}
      <RoleEditor key={role.key} role={role} />
    </Stack>
  );
}
