import { Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company } from '../../shared/api';
import { CustomFieldInputs, changedCustomFields, useCustomFieldDefinitions } from '../../shared/customFields';
import { FormErrorAlert, applyServerErrors, emptyToNull, omitNulls } from '../../shared/forms';
import { pickChangedFields } from './changedFields';
import { companiesApi, type CompanyInput } from './customersApi';
import { useCustomerInvalidation } from './useCustomerInvalidation';

interface CompanyFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The company to edit; without it the form creates a new one. */
  company?: Company;
  onSaved?: (company: Company) => void;
}

export function CompanyFormModal({ opened, onClose, company, onSaved }: CompanyFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={company ? t('company.editTitle') : t('company.createTitle')} size="lg">
      <CompanyForm company={company} onCancel={onClose} onSaved={(saved) => { onClose(); onSaved?.(saved); }} />
    </Modal>
  );
}

function toFormValues(company?: Company) {
  return {
    name: company?.name ?? '',
    website: company?.website ?? '',
    email: company?.email ?? '',
    phone: company?.phone ?? '',
    industry: company?.industry ?? '',
    city: company?.city ?? '',
    country: company?.country ?? '',
  };
}

function CompanyForm({ company, onCancel, onSaved }: { company?: Company; onCancel: () => void; onSaved: (company: Company) => void }) {
  const { t } = useTranslation();
  const invalidate = useCustomerInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  const definitions = useCustomFieldDefinitions('company');
  const form = useForm({
    initialValues: { ...toFormValues(company), customFields: company?.customFields ?? ({} as Record<string, unknown>) },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async ({ customFields, ...values }) => {
    setFormError(null);
    try {
      const input: CompanyInput = { ...emptyToNull(values), name: values.name.trim() };
      const changedCustom = company ? changedCustomFields(company.customFields ?? {}, customFields) : undefined;
      const saved = company
        ? await companiesApi.update(company.id, {
          ...pickChangedFields<CompanyInput>({ ...emptyToNull(toFormValues(company)), name: company.name }, input),
          ...(changedCustom ? { customFields: changedCustom } : {}),
        })
        : await companiesApi.create({ ...omitNulls(input), customFields });
      await invalidate('company', saved.id);
      onSaved(saved);
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        <TextInput label={t('fields.company.name')} required data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('fields.company.website')} placeholder="https://example.com" {...form.getInputProps('website')} />
          <TextInput label={t('fields.company.industry')} {...form.getInputProps('industry')} />
          <TextInput label={t('fields.company.email')} type="email" {...form.getInputProps('email')} />
          <TextInput label={t('fields.company.phone')} type="tel" placeholder="+1 415 555 0100" {...form.getInputProps('phone')} />
          <TextInput label={t('fields.company.city')} {...form.getInputProps('city')} />
          <TextInput label={t('fields.company.country')} {...form.getInputProps('country')} />
        </SimpleGrid>
        <CustomFieldInputs
          definitions={definitions}
          values={form.values.customFields}
          errors={form.errors}
          onChange={(key, value) => form.setFieldValue('customFields', { ...form.getValues().customFields, [key]: value })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t('actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
