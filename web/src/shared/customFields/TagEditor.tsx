import { Badge, Group, TagsInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../forms';
import { customizationQueryKeys, tagsApi, type CustomFieldObject } from './customFieldsApi';

interface TagEditorProps {
  object: CustomFieldObject;
  recordId: string;
  tags: string[];
  /** Called after the server saved the tags (to refresh the record). */
  onSaved: (tags: string[]) => void | Promise<void>;
}

/** A record's tags: pick existing ones or type new names; each change is saved at once. */
export function TagEditor({ object, recordId, tags, onSaved }: TagEditorProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const known = useQuery({ queryKey: customizationQueryKeys.tags, queryFn: ({ signal }) => tagsApi.list(signal) });
  const save = async (next: string[]) => {
    setError(null);
    setSaving(true);
    try {
      const saved = await tagsApi.setForRecord(object, recordId, next);
      await queryClient.invalidateQueries({ queryKey: customizationQueryKeys.tags });
      await onSaved(saved.tags);
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setSaving(false);
    }
  };
  return (
    <TagsInput
      mt="md"
      label={t('customization.tags.label')}
      placeholder={t('customization.tags.placeholder')}
      data={(known.data ?? []).map((tag) => tag.name)}
      value={tags}
      onChange={(next) => void save(next)}
      error={error}
      disabled={isSaving}
      clearable
    />
  );
}

export function TagBadges({ tags }: { tags: string[] | undefined }) {
  if (!tags?.length) return null;
  return <Group gap={4}>{tags.map((tag) => <Badge key={tag} variant="outline" size="sm">{tag}</Badge>)}</Group>;
}
