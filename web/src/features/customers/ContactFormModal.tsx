import { Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../shared/api';
import { CustomFieldInputs, changedCustomFields, useCustomFieldDefinitions } from '../../shared/customFields';
import { FormErrorAlert, applyServerErrors, emptyToNull, omitNulls } from '../../shared/forms';
import { pickChangedFields } from './changedFields';
import { CompanyPicker, type CompanyOption } from './CompanyPicker';
import { contactsApi, type ContactInput } from './customersApi';
import { useCustomerInvalidation } from './useCustomerInvalidation';

interface ContactFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The contact to edit; without it the form creates a new one. */
  contact?: Contact;
  /** Preselected company when adding a contact from a company's page. */
  company?: CompanyOption;
  onSaved?: (contact: Contact) => void;
}

export function ContactFormModal({ opened, onClose, contact, company, onSaved }: ContactFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={contact ? t('contact.editTitle') : t('contact.createTitle')} size="lg">
      <ContactForm
        contact={contact}
        company={company}
        onCancel={onClose}
        onSaved={(saved) => {
          onClose();
          onSaved?.(saved);
        }}
      />
    </Modal>
  );
}

function toFormValues(contact?: Contact, company?: CompanyOption) {
  return {
    name: contact?.name ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    title: contact?.title ?? '',
    companyId: contact?.companyId ?? company?.id ?? '',
  };
}

interface ContactFormProps {
  contact?: Contact;
  company?: CompanyOption;
  onCancel: () => void;
  onSaved: (contact: Contact) => void;
}

function ContactForm({ contact, company, onCancel, onSaved }: ContactFormProps) {
  const { t } = useTranslation();
  const invalidate = useCustomerInvalidation();
  const [formError, setFormError] = useState<string | null>(null);
  const [selectedCompany, setSelectedCompany] = useState<CompanyOption | null>(
    contact?.companyId ? { id: contact.companyId, name: contact.companyName ?? '' } : company ?? null,
  );
  const definitions = useCustomFieldDefinitions('contact');
  const form = useForm({
    initialValues: { ...toFormValues(contact, company), customFields: contact?.customFields ?? ({} as Record<string, unknown>) },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async ({ customFields, ...values }) => {
    setFormError(null);
    try {
      const input: ContactInput = { ...emptyToNull(values), name: values.name.trim() };
      const changedCustom = contact ? changedCustomFields(contact.customFields ?? {}, customFields) : undefined;
      const saved = contact
        ? await contactsApi.update(contact.id, {
          ...pickChangedFields<ContactInput>({ ...emptyToNull(toFormValues(contact)), name: contact.name }, input),
          ...(changedCustom ? { customFields: changedCustom } : {}),
        })
        : await contactsApi.create({ ...omitNulls(input), customFields });
      await invalidate('contact', saved.id);
      onSaved(saved);
    } catch (error) {
      setFormError(applyServerErrors(form, error, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormErrorAlert message={formError} />
        <TextInput label={t('fields.contact.name')} required data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('fields.contact.email')} type="email" {...form.getInputProps('email')} />
          <TextInput
            label={t('fields.contact.phone')}
            type="tel"
            description={t('contact.phoneHint')}
            placeholder="+86 138 0013 8000"
            {...form.getInputProps('phone')}
          />
          <TextInput label={t('fields.contact.title')} {...form.getInputProps('title')} />
          <CompanyPicker
            value={selectedCompany}
            error={form.errors.companyId}
            onChange={(picked) => {
              setSelectedCompany(picked);
              form.setFieldValue('companyId', picked?.id ?? '');
            }}
          />
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
