import { Alert, Button, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { securityApi } from './securityApi';

const minimumPasswordLength = 10;

export function ChangePasswordSection() {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);
  const [isChanged, setIsChanged] = useState(false);
  const form = useForm({
    initialValues: { currentPassword: '', password: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('validation.required')),
      password: (value) => (value.length >= minimumPasswordLength ? null : t('validation.passwordTooShort', { count: minimumPasswordLength })),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setIsChanged(false);
    try {
      await securityApi.changePassword(values);
      form.reset();
      setIsChanged(true);
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack maw={360}>
          <Title order={3}>{t('security.password.title')}</Title>
          {isChanged && (
            <Alert color="green" variant="light" role="status">
              {t('security.password.changed')}
            </Alert>
          )}
          <FormErrorAlert message={formError} />
          <PasswordInput label={t('security.password.current')} autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
          <PasswordInput
            label={t('security.password.new')}
            description={t('signUp.passwordHint', { count: minimumPasswordLength })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={form.submitting} w="fit-content">
            {t('security.password.submit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
