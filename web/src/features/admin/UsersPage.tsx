import { Badge, Button, Select, Table } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../shared/forms';
import { useFormatters } from '../../shared/i18n/useFormatters';
import { useSession } from '../../shared/session';
import { adminApi, type Role, type WorkspaceUser } from './adminApi';
import { AddUserModal } from './AddUserModal';
import { AdminPage, AdminQueryState } from './AdminPage';
import { ConfirmActionButton } from './ConfirmActionButton';
import { useAdminInvalidation, useRoles, useUsers } from './useAdminData';
import { useRoleLabel } from './useRoleLabel';

export function UsersPage() {
  const { t } = useTranslation();
  const [isAdding, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  return (
    <AdminPage title={t('admin.users.title')} actions={<Button onClick={openAdd}>{t('admin.users.add')}</Button>}>
      <UsersTable />
      <AddUserModal opened={isAdding} onClose={closeAdd} />
    </AdminPage>
  );
}

function UsersTable() {
  const { t } = useTranslation();
  const users = useUsers();
  const roles = useRoles();
  const { formatDate } = useFormatters();
  if (users.isPending || users.error) return <AdminQueryState isPending={users.isPending} error={users.error} />;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing="xs" data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.users.name')}</Table.Th>
            <Table.Th>{t('admin.users.email')}</Table.Th>
            <Table.Th>{t('admin.users.role')}</Table.Th>
            <Table.Th>{t('admin.users.status')}</Table.Th>
            <Table.Th>{t('fields.common.createdAt')}</Table.Th>
            <Table.Th aria-label={t('admin.users.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data.map((user) => (
            <UserRow key={user.id} user={user} roles={roles.data} createdAt={formatDate(user.createdAt)} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function UserRow({ user, roles, createdAt }: { user: WorkspaceUser; roles: Role[] | undefined; createdAt: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const invalidate = useAdminInvalidation();
  const roleLabel = useRoleLabel(roles);
  const [isSavingRole, setIsSavingRole] = useState(false);
  // The server refuses both for oneself; saying so here beats an error after the click.
  const isSelf = session?.user.id === user.id;

  const changeRole = async (role: string | null) => {
    if (!role || role === user.role) return;
    setIsSavingRole(true);
    try {
      await adminApi.updateUser(user.id, { role });
      await invalidate('users');
      notifications.show({ color: 'green', message: t('admin.users.roleChanged', { name: user.name, role: roleLabel(role) }) });
    } catch (error) {
      notifications.show({ color: 'red', title: t('errors.title'), message: describeError(t, error) });
    } finally {
      setIsSavingRole(false);
    }
  };

  const setDisabled = async (disabled: boolean) => {
    await adminApi.updateUser(user.id, { disabled });
    await invalidate('users');
  };

  const roleOptions = (roles ?? [{ key: user.role }]).map((role) => ({ value: role.key, label: roleLabel(role.key) }));
  return (
    <Table.Tr data-testid="user-row" data-email={user.email}>
      <Table.Td>{user.name}</Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>
        <Select
          size="xs"
          w={180}
          aria-label={t('admin.users.roleOf', { name: user.name })}
          data={roleOptions}
          value={user.role}
          allowDeselect={false}
          disabled={isSelf || isSavingRole}
          title={isSelf ? t('admin.users.selfHint') : undefined}
          onChange={(role) => void changeRole(role)}
        />
      </Table.Td>
      <Table.Td>
        {user.disabled ? <Badge color="gray">{t('admin.users.disabled')}</Badge> : <Badge color="green">{t('admin.users.active')}</Badge>}
      </Table.Td>
      <Table.Td>{createdAt}</Table.Td>
      <Table.Td>
        {user.disabled ? (
          <ConfirmActionButton
            label={t('admin.users.enable')}
            title={t('admin.users.enableTitle')}
            question={t('admin.users.enableQuestion', { name: user.name })}
            confirmLabel={t('admin.users.enable')}
            onConfirm={() => setDisabled(false)}
          />
        ) : (
          <ConfirmActionButton
            label={t('admin.users.disable')}
            title={t('admin.users.disableTitle')}
            question={t('admin.users.disableQuestion', { name: user.name })}
            confirmLabel={t('admin.users.disable')}
            color="red"
            disabled={isSelf}
            onConfirm={() => setDisabled(true)}
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}
