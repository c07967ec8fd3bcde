import { Alert, Badge, Button, Code, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';
import { sessionQueryKey } from '../../shared/session';
import { QueryState } from '../../shared/ui';
import { OtpauthQrCode } from './OtpauthQrCode';
import { securityApi, securityQueryKeys, type TotpSetup } from './securityApi';

function CodeForm({ label, submitLabel, color, onSubmit }: { label: string; submitLabel: string; color?: string; onSubmit: (code: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: (value) => (value.trim() ? null : t('validation.required')) } });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values.code.trim());
      form.reset();
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs" maw={360}>
        <FormErrorAlert message={formError} />
        <TextInput label={label} autoComplete="one-time-code" required {...form.getInputProps('code')} />
        <Button type="submit" color={color} loading={form.submitting} w="fit-content">
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" title={t('security.totp.recoveryTitle')}>
      <Stack gap="xs">
        <Text size="sm">{t('security.totp.recoveryExplain')}</Text>
        <List spacing={2} data-testid="recovery-codes">
          {codes.map((code) => (
            <List.Item key={code}>
              <Code>{code}</Code>
            </List.Item>
          ))}
        </List>
        <Button variant="light" onClick={onDone} w="fit-content">
          {t('security.totp.recoverySaved')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** Two-factor sign-in: set up (secret, QR code, first code), recovery codes shown once, turn off. */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: securityQueryKeys.totp, queryFn: securityApi.getTotpStatus });
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const startSetup = useMutation({ mutationFn: securityApi.setupTotp, onSuccess: setSetup });

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: securityQueryKeys.totp });
    // A session held back until set-up now has the whole app.
    await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
  };

  const enable = async (code: string) => {
    const result = await securityApi.enableTotp(code);
    setSetup(null);
    setRecoveryCodes(result.recoveryCodes);
    await refresh();
  };
  const disable = async (code: string) => {
    await securityApi.disableTotp(code);
    await refresh();
  };

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack>
        <Group justify="space-between">
          <Title order={3}>{t('security.totp.title')}</Title>
          {status.data && (
            <Badge color={status.data.enabled ? 'green' : 'gray'}>{status.data.enabled ? t('security.totp.on') : t('security.totp.off')}</Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('security.totp.explain')}
        </Text>
        <QueryState isPending={status.isPending} error={status.error} />
        {recoveryCodes && <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />}
        {status.data?.enabled && !recoveryCodes && (
          <>
            <Text size="sm">{t('security.totp.codesLeft', { count: status.data.recoveryCodesLeft })}</Text>
            {status.data.requiredByWorkspace ? (
              <Text size="sm" c="dimmed">
                {t('security.totp.requiredCannotDisable')}
              </Text>
            ) : (
              <CodeForm label={t('security.totp.disableCode')} submitLabel={t('security.totp.disable')} color="red" onSubmit={disable} />
            )}
          </>
        )}
        {status.data && !status.data.enabled && !setup && (
          <Button onClick={() => startSetup.mutate()} loading={startSetup.isPending} w="fit-content">
            {t('security.totp.start')}
          </Button>
        )}
        {setup && (
          <Stack gap="sm">
            <Text size="sm">{t('security.totp.scan')}</Text>
            <OtpauthQrCode uri={setup.uri} label={t('security.totp.qrLabel')} />
            <Text size="sm">{t('security.totp.orEnter')}</Text>
            <Code block data-testid="totp-secret">
              {setup.secret}
            </Code>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="totp-uri">
              {setup.uri}
            </Code>
            <CodeForm label={t('security.totp.firstCode')} submitLabel={t('security.totp.enable')} onSubmit={enable} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
