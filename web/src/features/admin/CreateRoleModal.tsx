import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { adminApi, type Role } from './adminApi';
import { permissionObjects } from './permissionObjects';
import { useAdminInvalidation, useRoles } from './useAdminData';
import { useRoleLabel } from './useRoleLabel';

// The server's pattern for a role key.
const keyPattern = /^[a-z][a-z0-9_]{1,39}$/;
// Not a valid role key, so it cannot collide with one.
const emptyTemplate = '-';
const declaredObjects = new Set<string>(permissionObjects.map((object) => object.name));

interface CreateRoleModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (role: Role) => void;
}

export function CreateRoleModal({ opened, onClose, onCreated }: CreateRoleModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.roles.createTitle')}>
      <CreateRoleForm onCancel={onClose} onCreated={(role) => { onClose(); onCreated(role); }} />
    </Modal>
  );
}

/** A new role starts as a copy of another one's permissions, or with none at all. */
function CreateRoleForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (role: Role) => void }) {
  const { t } = useTranslation();
  const roles = useRoles();
  const roleLabel = useRoleLabel(roles.data);
  const invalidate = useAdminInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { key: '', name: '', copyFrom: 'read_only' },
    validate: {
      key: (value) => (keyPattern.test(value) ? null : t('admin.roles.keyHint')),
      name: (value) => (value.trim() ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const template = roles.data?.find((role) => role.key === values.copyFrom);
    // Built-in roles may carry rules for objects this server does not declare (yet); the
    // server refuses those in a custom role.
    const fieldRules = Object.fromEntries(Object.entries(template?.fieldRules ?? {}).filter(([object]) => declaredObjects.has(object)));
    try {
      const role = await adminApi.createRole({ key: values.key, name: values.name.trim(), grants: template?.grants ?? {}, fieldRules });
      await invalidate('roles');
      onCreated(role);
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  const templates = [{ value: emptyTemplate, label: t('admin.roles.startEmpty') }, ...(roles.data ?? []).map((role) => ({ value: role.key, label: roleLabel(role.key) }))];
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        <TextInput label={t('admin.roles.name')} required data-autofocus {...form.getInputProps('name')} />
        <TextInput label={t('admin.roles.key')} description={t('admin.roles.keyHint')} required {...form.getInputProps('key')} />
        <Select label={t('admin.roles.copyFrom')} data={templates} allowDeselect={false} {...form.getInputProps('copyFrom')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t('admin.roles.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
