import { Button, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { AccessFields, ProviderUrl } from './SsoFormParts';
import { parseDomains, ssoApi, ssoQueryKeys, type SamlSettings, type SsoRole } from './ssoApi';

export function SamlSettingsForm({ settings }: { settings: SamlSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      entryPoint: settings.entryPoint,
      idpCertificate: settings.idpCertificate,
      spEntityId: settings.spEntityId,
      allowedDomains: settings.allowedDomains.join('\n'),
      defaultRole: settings.defaultRole as string,
      enabled: settings.enabled,
    },
    validate: {
      entryPoint: (value) => (value.trim() ? null : t('validation.required')),
      idpCertificate: (value) => (value.trim() ? null : t('validation.required')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const saved = await ssoApi.saveSaml({
        entryPoint: values.entryPoint.trim(),
        idpCertificate: values.idpCertificate.trim(),
        ...(values.spEntityId.trim() ? { spEntityId: values.spEntityId.trim() } : {}),
        allowedDomains: parseDomains(values.allowedDomains),
        defaultRole: values.defaultRole as SsoRole,
        enabled: values.enabled,
      });
      queryClient.setQueryData(ssoQueryKeys.saml, saved);
      setSavedAt(new Date().toLocaleTimeString());
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('sso.settings.samlIntro')}
        </Text>
        <ProviderUrl label={t('sso.settings.acsUrl')} value={settings.acsUrl} testId="saml-acs-url" />
        <ProviderUrl label={t('sso.settings.metadataUrl')} value={settings.metadataUrl} />
        <ProviderUrl label={t('sso.settings.startUrl')} value={settings.startUrl} />
        <FormErrorAlert message={formError} />
        <TextInput label={t('sso.settings.entryPoint')} placeholder="https://idp.example.com/sso/saml" required {...form.getInputProps('entryPoint')} />
        <Textarea
          label={t('sso.settings.idpCertificate')}
          placeholder="-----BEGIN CERTIFICATE-----"
          autosize
          minRows={4}
          maxRows={10}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          required
          {...form.getInputProps('idpCertificate')}
        />
        <TextInput label={t('sso.settings.spEntityId')} description={t('sso.settings.spEntityIdHint')} {...form.getInputProps('spEntityId')} />
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
