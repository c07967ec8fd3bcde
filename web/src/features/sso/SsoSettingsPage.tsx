import { Badge, Paper, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../shared/ui';
import { OidcSettingsForm } from './OidcSettingsForm';
import { SamlSettingsForm } from './SamlSettingsForm';
import { ssoApi, ssoQueryKeys } from './ssoApi';

/** /settings/sso: the workspace's OpenID Connect and SAML sign-in, for administrators. */
export function SsoSettingsPage() {
  const { t } = useTranslation();
  const oidc = useQuery({ queryKey: ssoQueryKeys.oidc, queryFn: ({ signal }) => ssoApi.getOidc(signal) });
  const saml = useQuery({ queryKey: ssoQueryKeys.saml, queryFn: ({ signal }) => ssoApi.getSaml(signal) });

  const status = (enabled: boolean | undefined) => (
    <Badge size="xs" variant="light" color={enabled ? 'teal' : 'gray'} ml={6}>
      {enabled ? t('sso.settings.on') : t('sso.settings.off')}
    </Badge>
  );

  return (
    <Stack maw={760}>
      <Title order={2}>{t('sso.settings.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <Tabs defaultValue="oidc" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="oidc" rightSection={status(oidc.data?.enabled)}>
              {t('sso.protocol.oidc')}
            </Tabs.Tab>
            <Tabs.Tab value="saml" rightSection={status(saml.data?.enabled)}>
              {t('sso.protocol.saml')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="oidc">
            <QueryState isPending={oidc.isPending} error={oidc.error} />
            {oidc.data && <OidcSettingsForm settings={oidc.data} />}
          </Tabs.Panel>
          <Tabs.Panel value="saml">
            <QueryState isPending={saml.isPending} error={saml.error} />
            {saml.data && <SamlSettingsForm settings={saml.data} />}
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </Stack>
  );
}
