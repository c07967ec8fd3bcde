import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../shared/session';
import { ChangePasswordSection } from './ChangePasswordSection';
import { SessionsSection } from './SessionsSection';
import { TwoFactorSection } from './TwoFactorSection';
import { WorkspaceSecuritySection } from './WorkspaceSecuritySection';

const administratorRoles = new Set(['owner', 'admin']);

/** /settings/security. A user the workspace holds back until 2FA is set up sees only that part. */
export function SecurityPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const isHeldBack = session?.totpSetupRequired === true;
  return (
    <Stack maw={900}>
      <Title order={2}>{t('security.title')}</Title>
      {isHeldBack && (
        <Alert color="orange" variant="light" title={t('security.setupRequiredTitle')}>
          {t('security.setupRequired')}
        </Alert>
      )}
      <TwoFactorSection />
      {!isHeldBack && (
        <>
          <SessionsSection />
          <ChangePasswordSection />
          {session && administratorRoles.has(session.user.role) && <WorkspaceSecuritySection />}
        </>
      )}
    </Stack>
  );
}
