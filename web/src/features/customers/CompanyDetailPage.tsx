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
import { CompanyContacts } from './CompanyContacts';
import { CompanyFormModal } from './CompanyFormModal';
import { companiesApi, customerQueryKeys } from './customersApi';
import { useCustomerInvalidation } from './useCustomerInvalidation';

/** Only http(s) links are rendered as links; anything else could be a javascript: URL. */
function toSafeHref(website: string): string | undefined {
  const href = /^https?:\/\//i.test(website) ? website : `https://${website}`;
  try {
    return new URL(href).protocol.startsWith('http') ? href : undefined;
  } catch {
    return undefined;
  }
}

export function CompanyDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const invalidate = useCustomerInvalidation();
  const { formatDateTime } = useFormatters();
  const definitions = useCustomFieldDefinitions('company');
  const [isEditing, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const duplicateWarning = useDuplicateWarning(id);
  const companyQuery = useQuery({
    queryKey: customerQueryKeys.company(id),
    queryFn: ({ signal }) => companiesApi.get(id, signal),
  });
  const company = companyQuery.data;

  if (!company) return <QueryState isPending={companyQuery.isPending} error={companyQuery.error} />;

  const remove = async () => {
    await companiesApi.remove(company.id);
    await invalidate('company', company.id);
    void navigate('/companies', { replace: true });
  };
  const websiteHref = company.website ? toSafeHref(company.website) : undefined;

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/companies">{t('nav.companies')}</Anchor>
        <span>{company.name}</span>
      </Breadcrumbs>
      <DuplicateWarningAlert object="company" recordId={company.id} warnings={duplicateWarning.warnings} onClose={duplicateWarning.clear} />
      <Group justify="space-between">
        <Title order={2}>{company.name}</Title>
        <Group>
          <Button variant="default" onClick={openEdit}>{t('actions.edit')}</Button>
          <ConfirmDeleteButton name={company.name} onConfirm={remove} />
        </Group>
      </Group>
      <Paper withBorder p="lg" radius="md">
        <FieldList
          items={[
            {
              label: t('fields.company.website'),
              value: company.website && (websiteHref ? <Anchor href={websiteHref} target="_blank" rel="noopener noreferrer">{company.website}</Anchor> : company.website),
            },
            { label: t('fields.company.domain'), value: company.domain },
            { label: t('fields.company.email'), value: company.email && <Anchor href={`mailto:${company.email}`}>{company.email}</Anchor> },
            { label: t('fields.company.phone'), value: company.phone },
            { label: t('fields.company.industry'), value: company.industry },
            { label: t('fields.company.city'), value: company.city },
            { label: t('fields.company.country'), value: company.country },
            // The server counts contacts only on single-record reads, never in lists.
            ...(company.contactCount === undefined ? [] : [{ label: t('fields.company.contactCount'), value: String(company.contactCount) }]),
            { label: t('fields.common.createdAt'), value: formatDateTime(company.createdAt) },
            { label: t('fields.common.updatedAt'), value: formatDateTime(company.updatedAt) },
            ...definitions.map((definition) => ({
              label: definition.label,
              value: company.customFields?.[definition.key] === undefined ? null : <CustomFieldValue definition={definition} value={company.customFields[definition.key]} />,
            })),
          ]}
        />
        {company.tags && (
          <TagEditor object="company" recordId={company.id} tags={company.tags} onSaved={() => invalidate('company', company.id)} />
        )}
      </Paper>
      <CompanyContacts company={company} />
      <Paper withBorder p="lg" radius="md">
        <Title order={3} mb="md">{t('history.title')}</Title>
        <MergeHistory recordId={company.id} onUndone={() => invalidate('company', company.id)} />
        <HistoryTimeline entity="company" id={company.id} />
      </Paper>
      <CompanyFormModal opened={isEditing} onClose={closeEdit} company={company} onSaved={duplicateWarning.show} />
    </Stack>
  );
}
