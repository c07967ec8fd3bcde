import { Button, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDeleteButton } from '../../shared/ui';
import { adminApi, type Team, type WorkspaceUser } from './adminApi';
import { AdminPage, AdminQueryState } from './AdminPage';
import { TeamFormModal } from './TeamFormModal';
import { useAdminInvalidation, useTeams, useUsers } from './useAdminData';

export function TeamsPage() {
  const { t } = useTranslation();
  const [isFormOpen, { open: openForm, close: closeForm }] = useDisclosure(false);
  const [editing, setEditing] = useState<Team | undefined>(undefined);
  const openTeam = (team?: Team) => {
    setEditing(team);
    openForm();
  };
  return (
    <AdminPage title={t('admin.teams.title')} actions={<Button onClick={() => openTeam()}>{t('admin.teams.create')}</Button>}>
      <TeamsTable onEdit={openTeam} />
      <TeamFormModal opened={isFormOpen} onClose={closeForm} team={editing} />
    </AdminPage>
  );
}

function TeamsTable({ onEdit }: { onEdit: (team: Team) => void }) {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers();
  const invalidate = useAdminInvalidation();
  if (teams.isPending || teams.error) return <AdminQueryState isPending={teams.isPending} error={teams.error} />;

  const usersById = new Map((users.data ?? []).map((user) => [user.id, user]));
  const teamName = (id: string | null) => (id ? teams.data.find((team) => team.id === id)?.name : undefined);
  const remove = async (team: Team) => {
    await adminApi.deleteTeam(team.id);
    await invalidate('teams');
  };

  if (teams.data.length === 0) return <Text c="dimmed">{t('admin.teams.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing="xs" data-testid="teams-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.teams.name')}</Table.Th>
            <Table.Th>{t('admin.teams.parent')}</Table.Th>
            <Table.Th>{t('admin.teams.manager')}</Table.Th>
            <Table.Th>{t('admin.teams.members')}</Table.Th>
            <Table.Th aria-label={t('admin.users.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.data.map((team) => (
            <Table.Tr key={team.id} data-testid="team-row">
              <Table.Td fw={500}>{team.name}</Table.Td>
              <Table.Td>{teamName(team.parentId) ?? t('common.none')}</Table.Td>
              <Table.Td>{team.managerId ? (usersById.get(team.managerId)?.name ?? t('admin.teams.unknownUser')) : t('common.none')}</Table.Td>
              <Table.Td>
                <MemberNames memberIds={team.memberIds} usersById={usersById} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => onEdit(team)}>
                    {t('actions.edit')}
                  </Button>
                  <ConfirmDeleteButton name={team.name} onConfirm={() => remove(team)} />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

// Long teams would stretch the row; the first few names and a count say enough.
const namesShown = 3;

function MemberNames({ memberIds, usersById }: { memberIds: string[]; usersById: Map<string, WorkspaceUser> }) {
  const { t } = useTranslation();
  if (memberIds.length === 0) return <Text size="sm" c="dimmed">{t('admin.teams.noMembers')}</Text>;
  const names = memberIds.slice(0, namesShown).map((id) => usersById.get(id)?.name ?? t('admin.teams.unknownUser'));
  const more = memberIds.length - names.length;
  return (
    <Text size="sm">
      {names.join(', ')}
      {more > 0 && ` ${t('admin.teams.andMore', { count: more })}`}
    </Text>
  );
}
