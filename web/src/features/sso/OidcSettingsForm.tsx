import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { AccessFields, ProviderUrl } from './SsoFormParts';
import { parseDomains, ssoApi, ssoQueryKeys, type OidcSettings, type SsoRole } from './ssoApi';

export function OidcSettingsForm({ settings }: { settings: OidcSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      issuerUrl: settings.issuerUrl,
      clientId: settings.clientId,
      clientSecret: '',
      allowedDomains: settings.allowedDomains.join('\n'),
      defaultRole: settings.defaultRole as string,
      enabled: settings.enabled,
    },
    validate: {
      issuerUrl: (value) => (value.trim() ? null : t('validation.required')),
      clientId: (value) => (value.trim() ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const saved = await ssoApi.saveOidc({
        issuerUrl: values.issuerUrl.trim(),
        clientId: values.clientId.trim(),
        ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
        allowedDomains: parseDomains(values.allowedDomains),
        defaultRole: values.defaultRole as SsoRole,
        enabled: values.enabled,
      });
      queryClient.setQueryData(ssoQueryKeys.oidc, saved);
      form.setFieldValue('clientSecret', '');
      setSavedAt(new Date().toLocaleTimeString());
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('sso.settings.oidcIntro')}
        </Text>
        <ProviderUrl label={t('sso.settings.redirectUri')} value={settings.redirectUri} testId="oidc-redirect-uri" />
        <ProviderUrl label={t('sso.settings.startUrl')} value={settings.startUrl} />
        <FormErrorAlert message={formError} />
        <TextInput label={t('sso.settings.issuerUrl')} placeholder="https://accounts.example.com" required {...form.getInputProps('issuerUrl')} />
        <TextInput label={t('sso.settings.clientId')} required {...form.getInputProps('clientId')} />
        <PasswordInput
          label={t('sso.settings.clientSecret')}
          description={settings.hasClientSecret ? t('sso.settings.clientSecretKept') : undefined}
          autoComplete="new-password"
          required={!settings.hasClientSecret}
          {...form.getInputProps('clientSecret')}
        />
        <AccessFields form={form} />
        <Group justify="flex-end">
          {savedAt && <Text size="sm" c="teal">{t('sso.settings.saved', { time: savedAt })}</Text>}
          <Button type="submit" loading={form.submitting}>
            {t('sso.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
