import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { adminApi, type Role } from './adminApi';
import { FieldRulesEditor } from './FieldRulesEditor';
import { GrantsGrid } from './GrantsGrid';
import { useAdminInvalidation } from './useAdminData';

/** A custom role's name, grants and field rules; a built-in role is shown the same way, read only. */
export function RoleEditor({ role }: { role: Role }) {
  const { t } = useTranslation();
  const invalidate = useAdminInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { name: role.name, grants: role.grants, fieldRules: role.fieldRules } });
  const readOnly = role.builtIn;

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const saved = await adminApi.updateRole(role.key, { ...values, name: values.name.trim() });
      await invalidate('roles');
      const savedValues = { name: saved.name, grants: saved.grants, fieldRules: saved.fieldRules };
      form.setInitialValues(savedValues);
      form.resetDirty(savedValues);
      notifications.show({ color: 'green', message: t('admin.roles.saved', { name: saved.name }) });
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  const { grants, fieldRules, name } = form.getValues();
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        {!readOnly && <TextInput label={t('admin.roles.name')} required maw={420} {...form.getInputProps('name')} />}
        <Title order={4}>{t('admin.roles.grantsTitle')}</Title>
        <Text size="sm" c="dimmed">{t('admin.roles.grantsHint')}</Text>
        <GrantsGrid grants={grants} readOnly={readOnly} onChange={(next) => form.setFieldValue('grants', next)} />
        {form.errors.grants && <Text size="sm" c="red">{form.errors.grants}</Text>}
        <Title order={4}>{t('admin.roles.fieldRulesTitle')}</Title>
        <Text size="sm" c="dimmed">{t('admin.roles.fieldRulesHint')}</Text>
        <FieldRulesEditor fieldRules={fieldRules} readOnly={readOnly} onChange={(next) => form.setFieldValue('fieldRules', next)} />
        {form.errors.fieldRules && <Text size="sm" c="red">{form.errors.fieldRules}</Text>}
        {!readOnly && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
              {t('admin.roles.discard')}
            </Button>
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty() || !name.trim()}>
              {t('actions.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
