import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function FormErrorAlert({ message }: { message: string | null }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <Alert color="red" variant="light" title={t('errors.title')} role="alert">
      {message}
    </Alert>
  );
}
