import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { AuthCard } from './AuthCard';

/** Asks for a reset link. The server answers the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await api.post('/auth/password-reset', { email: values.email.trim() });
      setSentTo(values.email.trim());
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <AuthCard
      title={t('security.forgot.title')}
      footer={
        <Anchor component={Link} to="/sign-in">
          {t('security.forgot.backToSignIn')}
        </Anchor>
      }
    >
      {sentTo ? (
        <Alert color="green" variant="light" role="status" title={t('security.forgot.sentTitle')}>
          {t('security.forgot.sent', { email: sentTo })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('security.forgot.explain')}</Text>
            <FormErrorAlert message={formError} />
            <TextInput label={t('fields.user.email')} type="email" autoComplete="email" required {...form.getInputProps('email')} />
            <Button type="submit" loading={form.submitting}>
              {t('security.forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
