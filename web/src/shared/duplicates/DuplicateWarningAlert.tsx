import { Alert, Anchor, Badge, Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mergePath, type DuplicateWarnings, type MergeableObject } from './duplicatesApi';

/** Shown after a save that found likely duplicates: each candidate links to its record and to a merge. */
export function DuplicateWarningAlert({ object, recordId, warnings, onClose }: {
  object: MergeableObject;
  recordId: string;
  warnings: DuplicateWarnings | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  if (!warnings?.duplicates.length) return null;
  const base = object === 'contact' ? '/contacts' : '/companies';
  return (
    <Alert color="yellow" title={t('duplicates.warning.title')} withCloseButton onClose={onClose} data-testid="duplicate-warning">
      <Text size="sm" mb="xs">{t('duplicates.warning.text')}</Text>
      <List size="sm" spacing={4}>
        {warnings.duplicates.map((candidate) => (
          <List.Item key={candidate.id}>
            <Group gap="xs" wrap="wrap">
              <Anchor component={Link} to={`${base}/${candidate.id}`}>{candidate.name}</Anchor>
              {candidate.reasons.map((reason) => <Badge key={reason} size="xs" variant="light">{t(`duplicates.reasons.${reason}`)}</Badge>)}
              <Anchor component={Link} to={mergePath(object, recordId, [candidate.id])} size="sm">{t('duplicates.warning.merge')}</Anchor>
            </Group>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
