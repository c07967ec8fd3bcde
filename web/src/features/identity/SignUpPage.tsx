import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { useSession } from '../../shared/session';
import { AuthCard } from './AuthCard';

// Mirrors the server's rule so the common mistake is caught before a round trip.
const minimumPasswordLength = 10;

export function SignUpPage() {
  const { t } = useTranslation();
  const { signUp } = useSession();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { workspaceName: '', name: '', email: '', password: '' },
    validate: {
      workspaceName: (value) => (value.trim() ? null : t('validation.required')),
      name: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (value.trim() ? null : t('validation.required')),
      password: (value) =>
        value.length >= minimumPasswordLength ? null : t('validation.passwordTooShort', { count: minimumPasswordLength }),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      // RequireGuest forwards to the app once the session exists.
      await signUp({
        workspaceName: values.workspaceName.trim(),
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
      });
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <AuthCard
      title={t('signUp.title')}
      footer={
        <>
          {t('signUp.haveAccount')}{' '}
          <Anchor component={Link} to="/sign-in">
            {t('signIn.title')}
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormErrorAlert message={formError} />
          <TextInput label={t('fields.tenant.workspaceName')} autoComplete="organization" required {...form.getInputProps('workspaceName')} />
          <TextInput label={t('fields.user.name')} autoComplete="name" required {...form.getInputProps('name')} />
          <TextInput label={t('fields.user.email')} type="email" autoComplete="email" required {...form.getInputProps('email')} />
          <PasswordInput
            label={t('fields.user.password')}
            description={t('signUp.passwordHint', { count: minimumPasswordLength })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={form.submitting}>
            {t('signUp.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
