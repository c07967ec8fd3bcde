import { Button, Checkbox, Group, Modal, NumberInput, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customFieldTypes, customFieldsApi, type CustomFieldDefinition, type CustomFieldObject, type CustomFieldType } from '../../shared/customFields';
import { FormErrorAlert, applyServerErrors } from '../../shared/forms';

interface CustomFieldFormModalProps {
  opened: boolean;
  onClose: () => void;
  object: CustomFieldObject;
  /** The definition to edit; its key and type's object never change. */
  definition?: CustomFieldDefinition;
}

/** `Preferred language` → `preferred_language`: a key suggestion an administrator may change. */
function keyFrom(label: string): string {
  return label.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'f_$1').slice(0, 63);
}

export function CustomFieldFormModal({ opened, onClose, object, definition }: CustomFieldFormModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      label: definition?.label ?? '',
      key: definition?.key ?? '',
      type: (definition?.type ?? 'text') as CustomFieldType,
      options: definition?.options ?? [],
      referenceObject: (definition?.referenceObject ?? 'company') as CustomFieldObject,
      required: definition?.required ?? false,
      sensitive: definition?.sensitive ?? false,
      position: definition?.position ?? 0,
    },
  });
  const values = form.getValues();
  const isSelect = values.type === 'single_select' || values.type === 'multi_select';

  const submit = form.onSubmit(async (input) => {
    setFormError(null);
    try {
      const options = input.type === 'single_select' || input.type === 'multi_select' ? input.options : [];
      if (definition) {
        await customFieldsApi.update(definition.id, { label: input.label, options, required: input.required, sensitive: input.sensitive, position: input.position });
      } else {
        await customFieldsApi.create({
          object, key: input.key || keyFrom(input.label), label: input.label, type: input.type, options,
          referenceObject: input.type === 'reference' ? input.referenceObject : null, required: input.required, sensitive: input.sensitive, position: input.position,
        });
      }
      await queryClient.invalidateQueries({ queryKey: ['custom-fields'] });
      form.reset();
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={definition ? t('customization.customFields.editTitle') : t('customization.customFields.createTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormErrorAlert message={formError} />
          <TextInput label={t('customization.customFields.label')} required data-autofocus {...form.getInputProps('label')} />
          <TextInput
            label={t('customization.customFields.key')}
            description={t('customization.customFields.keyHint')}
            disabled={Boolean(definition)}
            placeholder={keyFrom(values.label)}
            {...form.getInputProps('key')}
          />
          <Select
            label={t('customization.customFields.type')}
            disabled={Boolean(definition)}
            data={customFieldTypes.map((type) => ({ value: type, label: t(`customization.types.${type}`) }))}
            allowDeselect={false}
            {...form.getInputProps('type')}
          />
          {isSelect && <TagsInput label={t('customization.customFields.options')} {...form.getInputProps('options')} />}
          {values.type === 'reference' && !definition && (
            <Select
              label={t('customization.customFields.referenceObject')}
              data={[{ value: 'company', label: t('nav.companies') }, { value: 'contact', label: t('nav.contacts') }]}
              allowDeselect={false}
              {...form.getInputProps('referenceObject')}
            />
          )}
          <NumberInput label={t('customization.customFields.position')} min={0} max={10000} {...form.getInputProps('position')} />
          <Checkbox label={t('customization.customFields.required')} {...form.getInputProps('required', { type: 'checkbox' })} />
          <Checkbox label={t('customization.customFields.sensitive')} {...form.getInputProps('sensitive', { type: 'checkbox' })} />
          <Text size="xs" c="dimmed">{t('customization.customFields.sensitiveHint')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
            <Button type="submit" loading={form.submitting}>{t('actions.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
