import { Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../shared/forms';
import { QueryState } from '../../shared/ui';
import { securityApi, securityQueryKeys } from './securityApi';

/** Administrators: require two-factor sign-in of everyone in the workspace. */
export function WorkspaceSecuritySection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: securityQueryKeys.workspace, queryFn: securityApi.getWorkspaceSecurity });
  const update = useMutation({
    mutationFn: securityApi.updateWorkspaceSecurity,
    onSuccess: (data) => {
      queryClient.setQueryData(securityQueryKeys.workspace, data);
      void queryClient.invalidateQueries({ queryKey: securityQueryKeys.totp });
    },
  });

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack>
        <Title order={3}>{t('security.workspace.title')}</Title>
        <QueryState isPending={settings.isPending} error={settings.error} />
        {settings.data && (
          <Switch
            checked={settings.data.requireTotp}
            disabled={update.isPending}
            onChange={(event) => update.mutate(event.currentTarget.checked)}
            label={t('security.workspace.requireTotp')}
            description={t('security.workspace.requireTotpHint')}
          />
        )}
        {update.error && (
          <Text c="red" size="sm" role="alert">
            {describeError(t, update.error)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
