import { Anchor, Badge, Button, Code, Table } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { AdminPage, AdminQueryState } from './AdminPage';
import { CreateRoleModal } from './CreateRoleModal';
import { useRoles } from './useAdminData';
import { useRoleLabel } from './useRoleLabel';

export function RolesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [isCreating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  return (
    <AdminPage title={t('admin.roles.title')} actions={<Button onClick={openCreate}>{t('admin.roles.create')}</Button>}>
      <RolesTable />
      <CreateRoleModal opened={isCreating} onClose={closeCreate} onCreated={(role) => void navigate(`/settings/roles/${role.key}`)} />
    </AdminPage>
  );
}

function RolesTable() {
  const { t } = useTranslation();
  const roles = useRoles();
  const roleLabel = useRoleLabel(roles.data);
  if (roles.isPending || roles.error) return <AdminQueryState isPending={roles.isPending} error={roles.error} />;
  return (
    <Table striped highlightOnHover verticalSpacing="xs" data-testid="roles-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('admin.roles.name')}</Table.Th>
          <Table.Th>{t('admin.roles.key')}</Table.Th>
          <Table.Th>{t('admin.roles.kind')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {roles.data.map((role) => (
          <Table.Tr key={role.key}>
            <Table.Td>
              <Anchor component={Link} to={`/settings/roles/${role.key}`}>
                {roleLabel(role.key)}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Code>{role.key}</Code>
            </Table.Td>
            <Table.Td>
              {role.builtIn ? <Badge color="gray">{t('admin.roles.builtIn')}</Badge> : <Badge color="indigo">{t('admin.roles.custom')}</Badge>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
