import { Alert, Button, Group, Paper, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { MergeableObject } from '../../shared/duplicates';
import { describeError } from '../../shared/forms';
import { QueryState } from '../../shared/ui';
import { duplicatesQueueApi, mergeFields, type MergeRecord } from './duplicatesQueueApi';

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

function displayValue(record: MergeRecord, field: string): string {
  if (field === 'companyId' && 'companyName' in record) return record.companyName ?? '';
  const value = (record as unknown as Record<string, unknown>)[field];
  return isEmpty(value) ? '—' : String(value);
}

/** The server's default: the survivor's value, or the first record's that is not empty. */
function defaultChoices(records: MergeRecord[], survivorId: string, fields: string[]): Record<string, string> {
  const ordered = [records.find((record) => record.id === survivorId)!, ...records.filter((record) => record.id !== survivorId)];
  return Object.fromEntries(fields.map((field) => {
    const source = ordered.find((record) => !isEmpty((record as unknown as Record<string, unknown>)[field])) ?? ordered[0];
    return [field, source.id];
  }));
}

/** Both (or all) records side by side: pick the survivor and, per field, whose value to keep. */
export function MergePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [parameters] = useSearchParams();
  const object = (parameters.get('object') === 'company' ? 'company' : 'contact') as MergeableObject;
  const ids = useMemo(() => [parameters.get('survivorId') ?? '', ...(parameters.get('mergedIds') ?? '').split(',')].filter(Boolean), [parameters]);
  const queries = useQueries({
    queries: ids.map((id) => ({ queryKey: ['duplicates', 'record', object, id], queryFn: ({ signal }: { signal: AbortSignal }) => duplicatesQueueApi.getRecord(object, id, signal) })),
  });
  const records = queries.map((query) => query.data).filter((record): record is MergeRecord => record !== undefined);
  const [survivorId, setSurvivorId] = useState(ids[0]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const fields = mergeFields[object].filter((field) => records.some((record) => field in record));
  const choices = records.length === ids.length ? { ...defaultChoices(records, survivorId, fields), ...chosen } : {};
  const merge = useMutation({
    mutationFn: () => duplicatesQueueApi.merge(object, { survivorId, mergedIds: ids.filter((id) => id !== survivorId), fields: choices }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries();
      void navigate(`/${object === 'contact' ? 'contacts' : 'companies'}/${result.survivor.id}`);
    },
  });
  const failed = queries.find((query) => query.error);
  if (records.length < ids.length) return <QueryState isPending={!failed} error={failed?.error ?? null} />;

  return (
    <Stack>
      <Title order={2}>{t('duplicates.mergeTitle', { count: ids.length })}</Title>
      <Text c="dimmed" size="sm">{t('duplicates.mergeHint')}</Text>
      <Paper withBorder p="md">
        <Table data-testid="merge-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('duplicates.survivor')}</Table.Th>
              {records.map((record) => (
                <Table.Th key={record.id}>
                  <Radio name="survivor" label={record.name} checked={survivorId === record.id} onChange={() => setSurvivorId(record.id)} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((field) => (
              <Table.Tr key={field}>
                <Table.Td>{t(`duplicates.fields.${field}`)}</Table.Td>
                {records.map((record) => (
                  <Table.Td key={record.id}>
                    <Radio name={`field-${field}`} label={displayValue(record, field)} checked={choices[field] === record.id}
                      onChange={() => setChosen((current) => ({ ...current, [field]: record.id }))} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {merge.error && <Alert color="red">{describeError(t, merge.error)}</Alert>}
      <Group>
        <Button onClick={() => merge.mutate()} loading={merge.isPending}>{t('duplicates.mergeConfirm')}</Button>
        <Button variant="default" onClick={() => void navigate(-1)}>{t('actions.cancel')}</Button>
      </Group>
      <Text size="xs" c="dimmed">{t('duplicates.mergeUndoHint')}</Text>
    </Stack>
  );
}
