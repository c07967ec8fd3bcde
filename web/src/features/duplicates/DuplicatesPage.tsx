import { Badge, Button, Group, Paper, Progress, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mergePath, type MergeableObject } from '../../shared/duplicates';
import { describeError } from '../../shared/forms';
import { QueryState } from '../../shared/ui';
import { duplicatesQueueApi, type DuplicatePair } from './duplicatesQueueApi';

/** The review queue: scan for duplicates, then merge or dismiss each likely pair. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [object, setObject] = useState<MergeableObject>('contact');
  const [status, setStatus] = useState('open');
  const [scanId, setScanId] = useState<string | null>(null);
  const queueKey = ['duplicates', object, status] as const;
  const pairs = useInfiniteQuery({
    queryKey: queueKey,
    queryFn: ({ pageParam, signal }) => duplicatesQueueApi.list(object, status, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const scan = useQuery({
    queryKey: ['duplicates', 'scan', scanId],
    queryFn: ({ signal }) => duplicatesQueueApi.getScan(scanId!, signal),
    enabled: scanId !== null,
    refetchInterval: (query) => {
      const state = query.state.data?.status;
      if (state === 'completed' || state === 'failed') {
        void queryClient.invalidateQueries({ queryKey: ['duplicates', object] });
        return false;
      }
      return 1000;
    },
  });
  const start = useMutation({ mutationFn: () => duplicatesQueueApi.startScan(object), onSuccess: (started) => setScanId(started.id) });
  const dismiss = useMutation({
    mutationFn: (pair: DuplicatePair) => duplicatesQueueApi.dismiss(pair.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['duplicates', object] }),
  });
  const items = pairs.data?.pages.flatMap((page) => page.items) ?? [];
  const base = object === 'contact' ? '/contacts' : '/companies';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('duplicates.title')}</Title>
        <Button onClick={() => start.mutate()} loading={start.isPending}>{t('duplicates.scan.start')}</Button>
      </Group>
      <Group>
        <SegmentedControl value={object} onChange={(value) => { setObject(value as MergeableObject); setScanId(null); }}
          data={[{ value: 'contact', label: t('duplicates.objects.contact') }, { value: 'company', label: t('duplicates.objects.company') }]} />
        <SegmentedControl value={status} onChange={setStatus}
          data={['open', 'dismissed', 'merged'].map((value) => ({ value, label: t(`duplicates.status.${value}`) }))} />
      </Group>
      {start.error && <Text c="red" size="sm">{describeError(t, start.error)}</Text>}
      {scan.data && (
        <Paper withBorder p="sm" data-testid="duplicate-scan">
          <Text size="sm">{t(`duplicates.scan.${scan.data.status}`, { count: scan.data.pairsFound })}</Text>
          <Progress value={scan.data.progress * 100} mt="xs" />
        </Paper>
      )}
      <QueryState isPending={pairs.isPending} error={pairs.error} />
      {pairs.isSuccess && items.length === 0 && <Text c="dimmed">{t('duplicates.empty')}</Text>}
      {items.length > 0 && (
        <Table striped data-testid="duplicate-queue">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('duplicates.columns.first')}</Table.Th>
              <Table.Th>{t('duplicates.columns.second')}</Table.Th>
              <Table.Th>{t('duplicates.columns.reasons')}</Table.Th>
              <Table.Th>{t('duplicates.columns.score')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((pair) => (
              <Table.Tr key={pair.id}>
                {pair.records.map((record) => (
                  <Table.Td key={record.id}>
                    <Link to={`${base}/${record.id}`}>{record.name}</Link>
                    <Text size="xs" c="dimmed">{[record.email, record.phone, record.detail].filter(Boolean).join(' · ')}</Text>
                  </Table.Td>
                ))}
                <Table.Td>{pair.reasons.map((reason) => <Badge key={reason} size="xs" mr={4} variant="light">{t(`duplicates.reasons.${reason}`)}</Badge>)}</Table.Td>
                <Table.Td>{Math.round(pair.score * 100)}%</Table.Td>
                <Table.Td>
                  {pair.status === 'open' && (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" component={Link} to={mergePath(object, pair.records[0].id, [pair.records[1].id])}>{t('duplicates.merge')}</Button>
                      <Button size="xs" variant="default" onClick={() => dismiss.mutate(pair)}>{t('duplicates.dismiss')}</Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {pairs.hasNextPage && <Button variant="default" onClick={() => void pairs.fetchNextPage()} loading={pairs.isFetchingNextPage}>{t('duplicates.more')}</Button>}
    </Stack>
  );
}
