import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, isApiError } from '../../shared/api';
import { FormErrorAlert, applyServerErrors, describeError } from '../../shared/forms';
import { AuthCard } from './AuthCard';

const minimumPasswordLength = 10;

/** Opened from the emailed link: /reset-password?token=… */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const [formError, setFormError] = useState<string | null>(token ? null : t('errors.auth.reset_token_invalid'));
  const [isDone, setIsDone] = useState(false);
  const form = useForm({
    initialValues: { password: '', confirmation: '' },
    validate: {
      password: (value) => (value.length >= minimumPasswordLength ? null : t('validation.passwordTooShort', { count: minimumPasswordLength })),
      confirmation: (value, values) => (value === values.password ? null : t('security.reset.mismatch')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await api.post('/auth/password-reset/confirm', { token, password: values.password });
      setIsDone(true);
    } catch (error) {
      // A bad token is not a field the user can fix: say so once, above the form.
      setFormError(isApiError(error) && error.code === 'auth.reset_token_invalid' ? describeError(t, error) : applyServerErrors(form, error, t));
    }
  });

  return (
    <AuthCard
      title={t('security.reset.title')}
      footer={
        <Anchor component={Link} to="/sign-in">
          {t('security.forgot.backToSignIn')}
        </Anchor>
      }
    >
      {isDone ? (
        <Alert color="green" variant="light" role="status" title={t('security.reset.doneTitle')}>
          {t('security.reset.done')}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormErrorAlert message={formError} />
            <PasswordInput
              label={t('security.reset.password')}
              description={t('signUp.passwordHint', { count: minimumPasswordLength })}
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            <PasswordInput label={t('security.reset.confirmation')} autoComplete="new-password" required {...form.getInputProps('confirmation')} />
            <Button type="submit" loading={form.submitting} disabled={!token}>
              {t('security.reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
