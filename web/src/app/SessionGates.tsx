import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../shared/session';

function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="100vh">
      <Loader aria-label={t('list.loading')} />
    </Center>
  );
}

export function readReturnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  // Only paths inside this app; never an absolute URL smuggled in through history state.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/sign-') ? from : '/contacts';
}

/** Signed-in pages: anyone else goes to /sign-in, remembering where they were heading. */
export function RequireSession() {
  const { session, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <FullPageLoader />;
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  // The workspace requires two-factor sign-in: nothing else answers until it is set up.
  if (session.totpSetupRequired && location.pathname !== '/settings/security') return <Navigate to="/settings/security" replace />;
  return <Outlet />;
}

/**
 * Sign-in and sign-up make no sense with a session, so they forward to the app: to the page
 * that sent the user to sign in, if any. This also runs the moment sign-in succeeds.
 */
export function RequireGuest() {
  const { session, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <FullPageLoader />;
  if (session) return <Navigate to={readReturnPath(location.state)} replace />;
  return <Outlet />;
}
