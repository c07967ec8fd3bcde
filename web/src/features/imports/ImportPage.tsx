import { Alert, Button, Checkbox, FileInput, Group, SegmentedControl, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { ImportProgressCard } from './ImportProgressCard';
import { importFields, importsApi, type ImportMode, type ImportObjectName, type ImportPreview, type Mapping } from './importsApi';
import { MappingTable } from './MappingTable';

const modes: ImportMode[] = ['create', 'upsert_email', 'upsert_external_id'];

export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [object, setObject] = useState<ImportObjectName>('contacts');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mode, setMode] = useState<ImportMode>('create');
  const [dryRun, setDryRun] = useState(false);
  const [templateName, setTemplateName] = useState('');
  const [importId, setImportId] = useState<string | null>(null);
  const templates = useQuery({ queryKey: ['import-templates'], queryFn: importsApi.templates });

  const previewFile = useMutation({
    mutationFn: (chosen: File) => importsApi.preview(object, chosen),
    onSuccess: (result) => {
      setPreview(result);
      setMapping(result.suggestedMapping);
    },
  });
  const start = useMutation({
    mutationFn: () => importsApi.start(object, file!, { mode, dryRun, mapping }),
    onSuccess: (started) => setImportId(started.id),
  });
  const saveTemplate = useMutation({
    mutationFn: () => importsApi.saveTemplate(templateName.trim(), object, mapping),
    onSuccess: () => {
      setTemplateName('');
      void queryClient.invalidateQueries({ queryKey: ['import-templates'] });
    },
  });

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    setImportId(null);
    if (chosen) previewFile.mutate(chosen);
  };
  const objectTemplates = (templates.data?.items ?? []).filter((template) => template.object === (object === 'contacts' ? 'contact' : 'company'));
  const fields = [...importFields[object], ...(preview?.customFields ?? []).map((key) => `customFields.${key}`)];
  const failure = [previewFile.error, start.error, saveTemplate.error].find(Boolean);

  return (
    <Stack maw={900}>
      <Title order={2}>{t('imports.title')}</Title>
      <SegmentedControl value={object} onChange={(value) => { setObject(value as ImportObjectName); chooseFile(null); }}
        data={[{ value: 'contacts', label: t('nav.contacts') }, { value: 'companies', label: t('nav.companies') }]} />
      <FileInput label={t('imports.file')} description={t('imports.fileHint')} accept=".csv,text/csv" value={file} onChange={chooseFile} clearable />
      {failure && <Alert color="red">{isApiError(failure) ? failure.message : String(failure)}</Alert>}
      {preview && (
        <>
          {objectTemplates.length > 0 && (
            <Select label={t('imports.applyTemplate')} data={objectTemplates.map((template) => ({ value: template.id, label: template.name }))}
              onChange={(id) => { const chosen = objectTemplates.find((template) => template.id === id); if (chosen) setMapping(chosen.mapping); }} />
          )}
          <MappingTable headers={preview.headers} sampleRows={preview.rows} fields={fields} mapping={mapping} onChange={setMapping} />
          <Group align="end">
            <TextInput label={t('imports.templateName')} value={templateName} onChange={(event) => setTemplateName(event.currentTarget.value)} />
            <Button variant="default" disabled={!templateName.trim()} loading={saveTemplate.isPending} onClick={() => saveTemplate.mutate()}>{t('imports.saveTemplate')}</Button>
          </Group>
          <Select label={t('imports.mode')} value={mode} onChange={(value) => setMode((value ?? 'create') as ImportMode)} allowDeselect={false}
            data={modes.map((value) => ({ value, label: t(`imports.modes.${value}`) }))} />
          <Checkbox label={t('imports.dryRun')} description={t('imports.dryRunHint')} checked={dryRun} onChange={(event) => setDryRun(event.currentTarget.checked)} />
          <Group>
            <Button loading={start.isPending} onClick={() => start.mutate()}>{dryRun ? t('imports.startDryRun') : t('imports.start')}</Button>
          </Group>
        </>
      )}
      {importId && <ImportProgressCard importId={importId} />}
    </Stack>
  );
}
