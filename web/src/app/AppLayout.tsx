import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { isAdministratorRole, settingsNavigation } from '../features/admin';
import { GlobalSearch } from '../features/search';
import { LanguageSwitcher } from '../shared/i18n/LanguageSwitcher';
import { useSession } from '../shared/session';

const navigation = [
  { to: '/companies', labelKey: 'nav.companies' },
  { to: '/contacts', labelKey: 'nav.contacts' },
  { to: '/segments', labelKey: 'customization.nav.segments' },
  { to: '/imports', labelKey: 'imports.nav' },
  { to: '/duplicates', labelKey: 'duplicates.nav' },
  { to: '/settings/security', labelKey: 'nav.security' },
] as const;

export function AppLayout() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [isNavbarOpen, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);

  const handleSignOut = async () => {
    await signOut().catch(() => undefined);
    void navigate('/sign-in', { replace: true });
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !isNavbarOpen } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={isNavbarOpen} onClick={toggleNavbar} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Text fw={700}>{t('app.name')}</Text>
            <Text c="dimmed" size="sm" truncate data-testid="workspace-name">
              {session?.tenant.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <GlobalSearch />
            <Text size="sm" visibleFrom="xs" data-testid="user-name">
              {session?.user.name}
            </Text>
            <LanguageSwitcher />
            <Button variant="subtle" size="xs" onClick={() => void handleSignOut()}>
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        {navigation.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.labelKey)}
            active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
            onClick={closeNavbar}
          />
        ))}
        {isAdministratorRole(session?.user.role) && (
          <>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">{t('admin.nav.settings')}</Text>
            {settingsNavigation.map((item) => (
              <NavLink key={item.to} component={Link} to={item.to} label={t(item.labelKey)} active={location.pathname.startsWith(item.to)} onClick={closeNavbar} />
            ))}
          </>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
