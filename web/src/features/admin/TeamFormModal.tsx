import { Button, Group, Modal, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { adminApi, type Team } from './adminApi';
import { useAdminInvalidation, useTeams, useUsers } from './useAdminData';

interface TeamFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The team to edit; without it the form creates one. */
  team?: Team;
}

export function TeamFormModal({ opened, onClose, team }: TeamFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={team ? t('admin.teams.editTitle') : t('admin.teams.createTitle')} size="lg">
      <TeamForm team={team} onDone={onClose} />
    </Modal>
  );
}

function sameMembers(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((id) => right.includes(id));
}

function TeamForm({ team, onDone }: { team?: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const users = useUsers();
  const teams = useTeams();
  const invalidate = useAdminInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  // Members are a second request; if it fails after a create, saving again must not create twice.
  const [savedTeam, setSavedTeam] = useState<Team | undefined>(team);
  const form = useForm({
    initialValues: { name: team?.name ?? '', parentId: team?.parentId ?? null, managerId: team?.managerId ?? null, userIds: team?.memberIds ?? [] },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async ({ userIds, ...values }) => {
    setFormError(null);
    const input = { ...values, name: values.name.trim() };
    try {
      let current = savedTeam;
      current = current ? await adminApi.updateTeam(current.id, input) : await adminApi.createTeam(input);
      setSavedTeam(current);
      if (!sameMembers(current.memberIds, userIds)) await adminApi.setTeamMembers(current.id, userIds);
      await invalidate('teams');
      onDone();
    } catch (error) {
      await invalidate('teams');
      setFormError(applyServerErrors(form, error, t));
    }
  });

  const userOptions = (users.data ?? []).map((user) => ({ value: user.id, label: user.disabled ? `${user.name} (${t('admin.users.disabled')})` : user.name }));
  // A team cannot sit below itself; the server also refuses deeper loops.
  const parentOptions = (teams.data ?? []).filter((candidate) => candidate.id !== savedTeam?.id).map((candidate) => ({ value: candidate.id, label: candidate.name }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        <TextInput label={t('admin.teams.name')} required data-autofocus {...form.getInputProps('name')} />
        <Select label={t('admin.teams.parent')} placeholder={t('admin.teams.noParent')} data={parentOptions} clearable searchable {...form.getInputProps('parentId')} />
        <Select label={t('admin.teams.manager')} placeholder={t('admin.teams.noManager')} data={userOptions} clearable searchable {...form.getInputProps('managerId')} />
        <MultiSelect
          label={t('admin.teams.members')}
          placeholder={t('admin.teams.membersPlaceholder')}
          data={userOptions}
          searchable
          clearable
          hidePickedOptions
          {...form.getInputProps('userIds')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t('actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
