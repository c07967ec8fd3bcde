import { Button, CopyButton, Select, Switch, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ssoRoles } from './ssoApi';

/** A URL the administrator gives the identity provider: read-only, with a copy button. */
export function ProviderUrl({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      data-testid={testId}
      rightSectionWidth={84}
      rightSection={
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="subtle" color={copied ? 'teal' : 'blue'} onClick={copy}>
              {copied ? t('sso.settings.copied') : t('sso.settings.copy')}
            </Button>
          )}
        </CopyButton>
      }
    />
  );
}

interface AccessValues {
  allowedDomains: string;
  defaultRole: string;
  enabled: boolean;
}

/** Who may come in and as what: the part OIDC and SAML settings share. */
export function AccessFields<Values extends AccessValues>({ form }: { form: UseFormReturnType<Values> }) {
  const { t } = useTranslation();
  return (
    <>
      <Textarea
        label={t('sso.settings.allowedDomains')}
        description={t('sso.settings.allowedDomainsHint')}
        placeholder="acme.com"
        autosize
        minRows={2}
        {...form.getInputProps('allowedDomains')}
      />
      <Select
        label={t('sso.settings.defaultRole')}
        description={t('sso.settings.defaultRoleHint')}
        data={ssoRoles.map((role) => ({ value: role, label: t(`sso.roles.${role}`) }))}
        allowDeselect={false}
        {...form.getInputProps('defaultRole')}
      />
      <Switch label={t('sso.settings.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />
    </>
  );
}
