import { Alert, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../forms';

/** The loading and failure states every page shows the same way. */
export function QueryState({ isPending, error }: { isPending: boolean; error: unknown }) {
  const { t } = useTranslation();
  if (error) {
    return (
      <Alert color="red" title={t('errors.title')}>
        {describeError(t, error)}
      </Alert>
    );
  }
  if (isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('list.loading')} />
      </Center>
    );
  }
  return null;
}
