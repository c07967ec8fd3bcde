import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { adminApi } from './adminApi';
import { useAdminInvalidation, useRoles } from './useAdminData';
import { useRoleLabel } from './useRoleLabel';

// The server's minimum for a password set by an administrator.
const minimumPasswordLength = 10;

export function AddUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.users.addTitle')}>
      <AddUserForm onDone={onClose} />
    </Modal>
  );
}

function AddUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const roles = useRoles();
  const roleLabel = useRoleLabel(roles.data);
  const invalidate = useAdminInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', email: '', password: '', role: 'sales_rep' },
    validate: {
      name: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (value.trim() ? null : t('validation.required')),
      password: (value) => (value.length >= minimumPasswordLength ? null : t('validation.passwordTooShort', { count: minimumPasswordLength })),
      role: (value) => (value ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await adminApi.createUser({ ...values, name: values.name.trim(), email: values.email.trim() });
      await invalidate('users');
      onDone();
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  const roleOptions = (roles.data ?? []).map((role) => ({ value: role.key, label: roleLabel(role.key) }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        <TextInput label={t('admin.users.name')} required data-autofocus {...form.getInputProps('name')} />
        <TextInput label={t('admin.users.email')} type="email" required {...form.getInputProps('email')} />
        <PasswordInput
          label={t('admin.users.initialPassword')}
          description={t('signUp.passwordHint', { count: minimumPasswordLength })}
          required
          autoComplete="new-password"
          {...form.getInputProps('password')}
        />
        <Select label={t('admin.users.role')} required data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t('admin.users.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
