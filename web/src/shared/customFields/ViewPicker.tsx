import { Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, describeError } from '../forms';
import { customizationQueryKeys, viewsApi, type CustomFieldObject, type SavedView } from './customFieldsApi';

export interface ColumnOption {
  value: string;
  label: string;
}

interface ViewPickerProps {
  object: CustomFieldObject;
  /** Every column the list can show, standard and custom. */
  columnOptions: ColumnOption[];
  columns: string[];
  sort: string;
  view: SavedView | null;
  onViewChange: (view: SavedView | null) => void;
}

/** Choose a saved view (columns, filter, sort), or save the current columns and sort as one. */
export function ViewPicker({ object, columnOptions, columns, sort, view, onViewChange }: ViewPickerProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [isSaving, { open, close }] = useDisclosure(false);
  const views = useQuery({ queryKey: customizationQueryKeys.views(object), queryFn: ({ signal }) => viewsApi.list(object, signal) });
  const [name, setName] = useState('');
  const [chosenColumns, setChosenColumns] = useState<string[]>(columns);
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const startSaving = () => {
    setName('');
    setChosenColumns(columns);
    setShared(false);
    setError(null);
    open();
  };
  const save = async () => {
    try {
      const saved = await viewsApi.create({ object, name, columns: chosenColumns, sort, shared, filter: view?.filter ?? null });
      await queryClient.invalidateQueries({ queryKey: customizationQueryKeys.views(object) });
      onViewChange(saved);
      close();
    } catch (caught) {
      setError(describeError(t, caught));
    }
  };

  return (
    <Group gap="xs" align="flex-end">
      <Select
        label={t('customization.views.label')}
        placeholder={t('customization.views.default')}
        clearable
        data={(views.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.shared ? `${candidate.name} ⋅ ${t('customization.views.shared')}` : candidate.name }))}
        value={view?.id ?? null}
        onChange={(id) => onViewChange(views.data?.find((candidate) => candidate.id === id) ?? null)}
      />
      <Button variant="default" onClick={startSaving}>{t('customization.views.save')}</Button>
      <Modal opened={isSaving} onClose={close} title={t('customization.views.saveTitle')}>
        <Stack>
          <FormErrorAlert message={error} />
          <TextInput label={t('customization.views.name')} required value={name} onChange={(event) => setName(event.currentTarget.value)} data-autofocus />
          <MultiSelect label={t('customization.views.columns')} data={columnOptions} value={chosenColumns} onChange={setChosenColumns} />
          <Checkbox label={t('customization.views.shareWithWorkspace')} checked={shared} onChange={(event) => setShared(event.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t('actions.cancel')}</Button>
            <Button onClick={() => void save()} disabled={!name.trim() || chosenColumns.length === 0}>{t('actions.save')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
