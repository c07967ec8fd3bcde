import { Alert, Anchor, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { importsApi, type DataImport } from './importsApi';

const isRunning = (status: DataImport['status']) => status === 'queued' || status === 'running' || status === 'undoing';

/** Follows an import until it ends: progress, the final accounting, and its rejected rows. */
export function ImportProgressCard({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const { data } = useQuery({
    queryKey: ['imports', importId],
    queryFn: () => importsApi.get(importId),
    refetchInterval: (query) => (query.state.data && !isRunning(query.state.data.status) ? false : 1000),
  });
  // An import (or its undo) changes the records behind the contact and company lists, which may
  // be cached from before it: refresh them once it ends. (The customers feature's query keys.)
  const queryClient = useQueryClient();
  const hasEnded = data !== undefined && !isRunning(data.status);
  useEffect(() => {
    if (!hasEnded) return;
    void queryClient.invalidateQueries({ queryKey: ['contacts'] });
    void queryClient.invalidateQueries({ queryKey: ['companies'] });
  }, [hasEnded, data?.status, queryClient]);
  if (!data) return null;
  const { progress } = data;
  const percent = progress.rowsTotal ? Math.round((progress.rowsRead / progress.rowsTotal) * 100) : 0;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{data.fileName}</Text>
          <Text data-testid="import-status">{t(`imports.status.${data.status}`)}{data.dryRun ? ` · ${t('imports.dryRunLabel')}` : ''}</Text>
        </Group>
        <Progress value={data.status === 'completed' ? 100 : percent} animated={isRunning(data.status)} />
        <Text size="sm">{t('imports.progress.read', { read: progress.rowsRead, total: progress.rowsTotal ?? '?' })}</Text>
        <Text data-testid="import-accounting">
          {t('imports.progress.accounting', { created: progress.created, updated: progress.updated, skipped: progress.skipped, rejected: progress.rejected })}
        </Text>
        {data.error && <Alert color="red" title={data.error.code}>{data.error.message}</Alert>}
        {progress.rejected > 0 && <Anchor href={importsApi.errorsUrl(data.id)} download>{t('imports.downloadErrors')}</Anchor>}
      </Stack>
    </Card>
  );
}
