import { Anchor, Badge, Button, Grid, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../shared/api';
import { customFieldsApi, customizationQueryKeys, type CustomFieldObject, type SegmentFilter } from '../../shared/customFields';
import { FormErrorAlert, describeError } from '../../shared/forms';
import { ConfirmDeleteButton, QueryState } from '../../shared/ui';
import { SegmentFilterBuilder } from './SegmentFilterBuilder';
import { segmentFields } from './segmentFields';
import { segmentsApi, type Segment } from './segmentsApi';

const emptyFilter: SegmentFilter = { match: 'all', groups: [] };
const listPath = (object: CustomFieldObject) => (object === 'contact' ? '/contacts' : '/companies');

/** Segments: saved filters over contacts or companies, built from groups of conditions with a live count. */
export function SegmentsPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Segment | null>(null);
  const [draftKey, setDraftKey] = useState(0);
  const segments = useQuery({ queryKey: ['segments'], queryFn: ({ signal }) => segmentsApi.list(signal) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('customization.segments.title')}</Title>
        <Button onClick={() => { setEditing(null); setDraftKey((key) => key + 1); }}>{t('customization.segments.new')}</Button>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <QueryState isPending={segments.isPending} error={segments.error} />
          <Table highlightOnHover>
            <Table.Tbody>
              {(segments.data ?? []).map((segment) => (
                <Table.Tr key={segment.id} style={{ cursor: 'pointer' }} onClick={() => setEditing(segment)} bg={editing?.id === segment.id ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>{segment.name}</Table.Td>
                  <Table.Td><Badge size="sm" variant="light">{t(segment.object === 'contact' ? 'nav.contacts' : 'nav.companies')}</Badge></Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`${listPath(segment.object)}?segment=${segment.id}`} onClick={(event) => event.stopPropagation()}>
                      {t('customization.segments.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
              {segments.data?.length === 0 && <Table.Tr><Table.Td><Text c="dimmed">{t('customization.segments.empty')}</Text></Table.Td></Table.Tr>}
            </Table.Tbody>
          </Table>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <SegmentEditor key={editing?.id ?? `new-${draftKey}`} segment={editing} onSaved={setEditing} onDeleted={() => setEditing(null)} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function useLiveCount(object: CustomFieldObject, filter: SegmentFilter) {
  const [debounced] = useDebouncedValue(filter, 400);
  return useQuery({
    queryKey: ['segments', 'preview', object, debounced],
    queryFn: () => segmentsApi.preview(object, debounced),
    retry: false,
  });
}

/** Problems the server named by path (filter.groups[0].conditions[1].operator), for the builder to show in place. */
function problemsByPath(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(error.fieldErrors.map((detail) => [detail.field, detail.message]));
}

function SegmentEditor({ segment, onSaved, onDeleted }: { segment: Segment | null; onSaved: (segment: Segment) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [object, setObject] = useState<CustomFieldObject>(segment?.object ?? 'contact');
  const [name, setName] = useState(segment?.name ?? '');
  const [filter, setFilter] = useState<SegmentFilter>(segment?.filter ?? emptyFilter);
  const [saveError, setSaveError] = useState<unknown>(null);
  const definitions = useQuery({ queryKey: customizationQueryKeys.customFields(), queryFn: ({ signal }) => customFieldsApi.list(undefined, signal) });
  const count = useLiveCount(object, filter);
  const problems = { ...problemsByPath(count.error), ...problemsByPath(saveError) };

  const save = async () => {
    setSaveError(null);
    try {
      const saved = segment ? await segmentsApi.update(segment.id, { name, filter }) : await segmentsApi.create({ object, name, filter });
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      onSaved(saved);
    } catch (error) {
      setSaveError(error);
    }
  };
  const remove = async () => {
    if (!segment) return;
    await segmentsApi.remove(segment.id);
    await queryClient.invalidateQueries({ queryKey: ['segments'] });
    onDeleted();
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <FormErrorAlert message={saveError && !Object.keys(problemsByPath(saveError)).some((path) => path.startsWith('filter')) ? describeError(t, saveError) : null} />
        <Group align="flex-end">
          <TextInput label={t('customization.segments.name')} required value={name} onChange={(event) => setName(event.currentTarget.value)} style={{ flex: 1 }} error={problems.name} />
          <SegmentedControl
            disabled={Boolean(segment)}
            value={object}
            onChange={(value) => { setObject(value as CustomFieldObject); setFilter(emptyFilter); }}
            data={[{ value: 'contact', label: t('nav.contacts') }, { value: 'company', label: t('nav.companies') }]}
          />
        </Group>
        <SegmentFilterBuilder fields={segmentFields(object, definitions.data ?? [])} filter={filter} onChange={setFilter} errors={problems} />
        <Group justify="space-between">
          <Text data-testid="segment-count" fw={600}>
            {count.data
              ? t('customization.segments.count', { count: count.data.count, capped: count.data.capped ? '+' : '' })
              : count.error ? t('customization.segments.countUnavailable') : '…'}
          </Text>
          <Group>
            {segment && <ConfirmDeleteButton name={segment.name} onConfirm={remove} />}
            {segment && <Button variant="default" onClick={() => void navigate(`${listPath(segment.object)}?segment=${segment.id}`)}>{t('customization.segments.open')}</Button>}
            <Button onClick={() => void save()} disabled={!name.trim()}>{t('actions.save')}</Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
