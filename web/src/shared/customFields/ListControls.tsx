import { Badge, CloseButton, Group, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { customizationQueryKeys, tagsApi, type CustomFieldDefinition, type CustomFieldObject, type SavedView } from './customFieldsApi';
import { ViewPicker, type ColumnOption } from './ViewPicker';

interface ListControlsOptions {
  object: CustomFieldObject;
  standardColumns: ColumnOption[];
  defaultColumns: string[];
  definitions: CustomFieldDefinition[];
}

/**
 * The state behind a list's view picker, tag filter and segment (from `?segment=` in the
 * address, as the segments page links): which columns to show and which query parameters to send.
 */
export function useListControls({ object, standardColumns, defaultColumns, definitions }: ListControlsOptions) {
  const [view, setView] = useState<SavedView | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();
  const segment = searchParams.get('segment');
  const columnOptions = [...standardColumns, ...definitions.map((definition) => ({ value: `custom.${definition.key}`, label: definition.label }))];
  return {
    object,
    view,
    setView,
    tag,
    setTag,
    segment,
    clearSegment: () => setSearchParams({}),
    columnOptions,
    columns: (view?.columns ?? defaultColumns).filter((column) => columnOptions.some((option) => option.value === column)),
    extra: { view: view?.id, 'filter[tag]': tag ?? undefined, segment: segment ?? undefined },
  };
}

export type ListControlsState = ReturnType<typeof useListControls>;

/** The controls above a list: saved views, a tag filter, and the active segment if any. */
export function ListControls({ controls, sort, onSortChange }: { controls: ListControlsState; sort: string; onSortChange: (sort: string) => void }) {
  const { t } = useTranslation();
  const tags = useQuery({ queryKey: customizationQueryKeys.tags, queryFn: ({ signal }) => tagsApi.list(signal) });
  const segment = useQuery({
    queryKey: ['segments', 'detail', controls.segment],
    queryFn: ({ signal }) => api.get<{ name: string }>(`/segments/${controls.segment}`, undefined, signal),
    enabled: Boolean(controls.segment),
  });
  return (
    <Group align="flex-end">
      <ViewPicker
        object={controls.object}
        columnOptions={controls.columnOptions}
        columns={controls.columns}
        sort={sort}
        view={controls.view}
        onViewChange={(view) => {
          controls.setView(view);
          if (view?.sort) onSortChange(view.sort);
        }}
      />
      <Select
        label={t('customization.tags.filter')}
        placeholder={t('customization.tags.any')}
        clearable
        searchable
        data={(tags.data ?? []).map((candidate) => candidate.name)}
        value={controls.tag}
        onChange={controls.setTag}
      />
      {controls.segment && (
        <Badge size="lg" variant="light" rightSection={<CloseButton size="xs" aria-label={t('customization.segments.clear')} onClick={controls.clearSegment} />}>
          {t('customization.segments.active', { name: segment.data?.name ?? '…' })}
        </Badge>
      )}
    </Group>
  );
}
