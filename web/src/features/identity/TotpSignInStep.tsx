import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { useSession } from '../../shared/session';

/** The second step of sign-in: a code from the authenticator app, or a recovery code. */
export function TotpSignInStep({ mfaToken, onCancel }: { mfaToken: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const { signInWithTotp } = useSession();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      // RequireGuest forwards to the app once the session exists.
      await signInWithTotp({ mfaToken, code: values.code.trim() });
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('security.signInStep.explain')}</Text>
        <FormErrorAlert message={formError} />
        <TextInput
          label={t('security.signInStep.code')}
          description={t('security.signInStep.codeHint')}
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
          required
          {...form.getInputProps('code')}
        />
        <Button type="submit" loading={form.submitting}>
          {t('security.signInStep.submit')}
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={onCancel}>
          {t('security.signInStep.back')}
        </Anchor>
      </Stack>
    </form>
  );
}
