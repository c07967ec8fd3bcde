import { Anchor, Breadcrumbs, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { CustomFieldValue, TagEditor, useCustomFieldDefinitions } from '../../shared/customFields';
import { DuplicateWarningAlert, MergeHistory, useDuplicateWarning } from '../../shared/duplicates';
import { HistoryTimeline } from '../../shared/history';
import { useFormatters } from '../../shared/i18n/useFormatters';
import { ConfirmDeleteButton, FieldList, QueryState } from '../../shared/ui';
import { CompanyReference } from './CompanyReference';
import { ContactFormModal } from './ContactFormModal';
import { contactsApi, customerQueryKeys } from './customersApi';
import { useCustomerInvalidation } from './useCustomerInvalidation';

export function ContactDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const invalidate = useCustomerInvalidation();
  const { formatDateTime } = useFormatters();
  const definitions = useCustomFieldDefinitions('contact');
  const [isEditing, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const duplicateWarning = useDuplicateWarning(id);
  const contactQuery = useQuery({
    queryKey: customerQueryKeys.contact(id),
    queryFn: ({ signal }) => contactsApi.get(id, signal),
  });
  const contact = contactQuery.data;

  if (!contact) return <QueryState isPending={contactQuery.isPending} error={contactQuery.error} />;

  const remove = async () => {
    await contactsApi.remove(contact.id);
    await invalidate('contact', contact.id);
    void navigate('/contacts', { replace: true });
  };

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/contacts">{t('nav.contacts')}</Anchor>
        <span>{contact.name}</span>
      </Breadcrumbs>
      <DuplicateWarningAlert object="contact" recordId={contact.id} warnings={duplicateWarning.warnings} onClose={duplicateWarning.clear} />
      <Group justify="space-between">
        <Title order={2}>{contact.name}</Title>
        <Group>
          <Button variant="default" onClick={openEdit}>{t('actions.edit')}</Button>
          <ConfirmDeleteButton name={contact.name} onConfirm={remove} />
        </Group>
      </Group>
      <Paper withBorder p="lg" radius="md">
        <FieldList
          items={[
            { label: t('fields.contact.email'), value: contact.email && <Anchor href={`mailto:${contact.email}`}>{contact.email}</Anchor> },
            { label: t('fields.contact.phone'), value: contact.phone && <Anchor href={`tel:${contact.phone}`}>{contact.phone}</Anchor> },
            { label: t('fields.contact.title'), value: contact.title },
            {
              label: t('fields.contact.company'),
              value: contact.companyId && (
                <Anchor component={Link} to={`/companies/${contact.companyId}`}>{contact.companyName ?? contact.companyId}</Anchor>
              ),
            },
            { label: t('fields.common.createdAt'), value: formatDateTime(contact.createdAt) },
            { label: t('fields.common.updatedAt'), value: formatDateTime(contact.updatedAt) },
            ...definitions.map((definition) => ({
              label: definition.label,
              value: contact.customFields?.[definition.key] === undefined ? null : <CustomFieldValue definition={definition} value={contact.customFields[definition.key]} />,
            })),
          ]}
        />
        {contact.tags && (
          <TagEditor object="contact" recordId={contact.id} tags={contact.tags} onSaved={() => invalidate('contact', contact.id)} />
        )}
      </Paper>
      <Paper withBorder p="lg" radius="md">
        <Title order={3} mb="md">{t('history.title')}</Title>
        <MergeHistory recordId={contact.id} onUndone={() => invalidate('contact', contact.id)} />
        <HistoryTimeline
          entity="contact"
          id={contact.id}
          hiddenFields={['companyName']}
          renderValue={(field, value) => (field === 'companyId' && typeof value === 'string' ? <CompanyReference id={value} /> : undefined)}
        />
      </Paper>
      <ContactFormModal opened={isEditing} onClose={closeEdit} contact={contact} onSaved={duplicateWarning.show} />
    </Stack>
  );
}
