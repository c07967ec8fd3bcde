import { Alert, Button, Divider, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ssoStartUrl, type SsoProtocol } from './ssoApi';

/**
 * "Sign in with SSO" on the sign-in page: asks for the workspace, then leaves for the server's
 * start URL. Also shows why a single sign-on came back to this page (`?error=<code>`).
 */
export function SsoSignIn() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const errorCode = searchParams.get('error');
  const [isOpen, setOpen] = useState(false);
  const form = useForm({
    initialValues: { workspaceSlug: '', protocol: 'oidc' as SsoProtocol },
    validate: { workspaceSlug: (value) => (/^[a-z0-9-]+$/i.test(value.trim()) ? null : t('sso.signIn.slugInvalid')) },
  });

  const submit = form.onSubmit((values) => {
    window.location.assign(ssoStartUrl(values.workspaceSlug, values.protocol));
  });

  return (
    <Stack gap="sm" mt="md">
      {errorCode?.startsWith('sso.') && (
        <Alert color="red" variant="light" title={t('sso.signIn.failedTitle')} role="alert" data-testid="sso-error">
          {t(`errors.${errorCode}`, { defaultValue: t('sso.signIn.failedGeneric') })}
        </Alert>
      )}
      <Divider label={t('sso.signIn.or')} labelPosition="center" />
      {isOpen ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label={t('sso.signIn.workspaceSlug')}
              description={t('sso.signIn.workspaceSlugHint')}
              placeholder="acme-x1y2z3"
              autoComplete="organization"
              required
              autoFocus
              {...form.getInputProps('workspaceSlug')}
            />
            <SegmentedControl
              aria-label={t('sso.signIn.protocol')}
              data={[{ value: 'oidc', label: t('sso.protocol.oidc') }, { value: 'saml', label: t('sso.protocol.saml') }]}
              {...form.getInputProps('protocol')}
            />
            <Button type="submit" variant="light">
              {t('sso.signIn.continue')}
            </Button>
          </Stack>
        </form>
      ) : (
        <Button variant="default" onClick={() => setOpen(true)}>
          {t('sso.signIn.button')}
        </Button>
      )}
    </Stack>
  );
}
