import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { useSession } from '../../shared/session';
import { AuthCard } from './AuthCard';
import { TotpSignInStep } from './TotpSignInStep';
import { SsoSignIn } from '../sso';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [formError, setFormError] = useState<string | null>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (value.trim() ? null : t('validation.required')),
      password: (value) => (value ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      // RequireGuest forwards to the page the user was heading for once the session exists.
      const result = await signIn({ email: values.email.trim(), password: values.password });
      if ('mfaRequired' in result) setMfaToken(result.mfaToken);
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  if (mfaToken) {
    return (
      <AuthCard title={t('signIn.title')} footer={null}>
        <TotpSignInStep mfaToken={mfaToken} onCancel={() => setMfaToken(null)} />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('signIn.title')}
      footer={
        <>
          {t('signIn.noAccount')}{' '}
          <Anchor component={Link} to="/sign-up">
            {t('signUp.title')}
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormErrorAlert message={formError} />
          <TextInput label={t('fields.user.email')} type="email" autoComplete="email" required {...form.getInputProps('email')} />
          <PasswordInput label={t('fields.user.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('signIn.forgotPassword')}
          </Anchor>
          <Button type="submit" loading={form.submitting}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
      <SsoSignIn />
    </AuthCard>
  );
}
