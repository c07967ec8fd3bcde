import { Alert, Button, Code, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntity, AuditEntry } from '../api';
import { describeError } from '../forms';
import { useFormatters } from '../i18n/useFormatters';
import { useHistory } from './useHistory';

// Bookkeeping columns change on every write; listing them would bury the real edits.
const bookkeepingFields = new Set(['id', 'tenantId', 'createdAt', 'updatedAt', 'deletedAt', 'version', 'searchText']);

/** Lets a feature show a value its own way (an id as the name it points to); undefined = default. */
export type HistoryValueRenderer = (field: string, value: unknown) => ReactNode | undefined;

interface HistoryTimelineProps {
  entity: AuditEntity;
  id: string;
  /** Fields not worth a line, e.g. a denormalised copy of another field. */
  hiddenFields?: string[];
  renderValue?: HistoryValueRenderer;
}

export function HistoryTimeline({ entity, id, hiddenFields = [], renderValue }: HistoryTimelineProps) {
  const { t } = useTranslation();
  const history = useHistory(entity, id);

  if (history.isPending) return <Loader size="sm" aria-label={t('list.loading')} />;
  if (history.isError) return <Alert color="red">{describeError(t, history.error)}</Alert>;

  const entries = history.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <Text c="dimmed">{t('history.empty')}</Text>;

  return (
    <Stack>
      <Timeline bulletSize={14} lineWidth={2} active={entries.length}>
        {entries.map((entry) => (
          <Timeline.Item key={entry.seq} title={<HistoryTitle entry={entry} />} data-testid="history-entry">
            <HistoryChanges entry={entry} hiddenFields={hiddenFields} renderValue={renderValue} />
          </Timeline.Item>
        ))}
      </Timeline>
      {history.hasNextPage && (
        <Group>
          <Button variant="default" size="xs" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {t('history.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function HistoryTitle({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const { formatDateTime } = useFormatters();
  return (
    <Text size="sm">
      <strong>{t(`history.operation.${entry.operation}`)}</strong>{' '}
      {t('history.byWhom', { name: entry.actor?.name ?? t('history.system') })}{' '}
      <Text span c="dimmed" size="sm">
        · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </Text>
    </Text>
  );
}

interface HistoryChangesProps {
  entry: AuditEntry;
  hiddenFields: string[];
  renderValue?: HistoryValueRenderer;
}

function HistoryChanges({ entry, hiddenFields, renderValue }: HistoryChangesProps) {
  const { t } = useTranslation();
  const isShown = (field: string) =>
    !bookkeepingFields.has(field) &&
    !hiddenFields.includes(field) &&
    // On creation the owner is the creator, already named in the title.
    !(entry.operation === 'create' && field === 'ownerId');
  const changes = Object.entries(entry.changes ?? {})
    .filter(([field, change]) => isShown(field) && !(entry.operation === 'create' && isBlank(change.after)))
    // The name says which record this is; it reads best first, the rest keep the server's order.
    .sort(([left], [right]) => Number(right === 'name') - Number(left === 'name'));
  const show = (field: string, value: unknown) => renderValue?.(field, value) ?? <ChangeValue value={value} />;
  if (changes.length === 0) return null;
  return (
    <Stack gap={2} mt={4}>
      {changes.map(([field, change]) => (
        <Text key={field} size="sm" data-testid="history-change">
          <Text span fw={500} size="sm">
            {t(`fields.${entry.entity}.${field}`, { defaultValue: field })}:
          </Text>{' '}
          {entry.operation !== 'create' && (
            <>
              {show(field, change.before)} →{' '}
            </>
          )}
          {show(field, change.after)}
        </Text>
      ))}
    </Stack>
  );
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function ChangeValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (isBlank(value)) {
    return (
      <Text span c="dimmed" size="sm" fs="italic">
        {t('history.emptyValue')}
      </Text>
    );
  }
  if (typeof value === 'object') return <Code>{JSON.stringify(value)}</Code>;
  return <Code>{String(value)}</Code>;
}
