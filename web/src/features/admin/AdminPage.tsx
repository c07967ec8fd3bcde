import { Alert, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { QueryState } from '../../shared/ui';
import { useIsAdministrator } from './useAdminData';

interface AdminPageProps {
  title: string;
  /** Buttons beside the title (add, export...). */
  actions?: ReactNode;
  children: ReactNode;
}

/** The frame of every settings page; people who are not administrators get an explanation. */
export function AdminPage({ title, actions, children }: AdminPageProps) {
  const isAdministrator = useIsAdministrator();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{title}</Title>
        {isAdministrator && actions}
      </Group>
      {isAdministrator ? children : <AdministratorsOnly />}
    </Stack>
  );
}

function AdministratorsOnly() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('admin.forbiddenTitle')} data-testid="admin-forbidden">
      {t('admin.forbiddenBody')}
    </Alert>
  );
}

/** Loading and errors like every page, but a 403 (role changed meanwhile) reads as above. */
export function AdminQueryState({ isPending, error }: { isPending: boolean; error: unknown }) {
  if (isApiError(error) && error.status === 403) return <AdministratorsOnly />;
  return <QueryState isPending={isPending} error={error} />;
}
