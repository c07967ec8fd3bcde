import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../forms';
import { useFormatters } from '../i18n/useFormatters';
import { mergesApi, mergesQueryKey } from './duplicatesApi';

/** The merges a record took part in, each with an undo while it stands. Renders nothing without merges. */
export function MergeHistory({ recordId, onUndone }: { recordId: string; onUndone: () => void }) {
  const { t } = useTranslation();
  const { formatDateTime } = useFormatters();
  const queryClient = useQueryClient();
  const merges = useQuery({ queryKey: mergesQueryKey(recordId), queryFn: ({ signal }) => mergesApi.listForRecord(recordId, signal) });
  const undo = useMutation({
    mutationFn: (id: string) => mergesApi.undo(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: mergesQueryKey(recordId) });
      onUndone();
    },
  });
  const items = merges.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="merge-history">
      <Text fw={600}>{t('duplicates.history.title')}</Text>
      {items.map((merge) => (
        <Group key={merge.id} justify="space-between">
          <Text size="sm">
            {t('duplicates.history.entry', { count: merge.mergedIds.length, at: formatDateTime(merge.createdAt) })}
            {merge.undoneAt && ` — ${t('duplicates.history.undone', { at: formatDateTime(merge.undoneAt) })}`}
          </Text>
          {!merge.undoneAt && (
            <Button size="xs" variant="default" loading={undo.isPending && undo.variables === merge.id} onClick={() => undo.mutate(merge.id)}>
              {t('duplicates.history.undo')}
            </Button>
          )}
        </Group>
      ))}
      {undo.error && <Text size="sm" c="red">{describeError(t, undo.error)}</Text>}
    </Stack>
  );
}
