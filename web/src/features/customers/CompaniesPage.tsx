import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { ExportMenu } from '../../shared/export';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Company } from '../../shared/api';
import { ListControls, RecordTable, TagBadges, customFieldColumns, useCustomFieldDefinitions, useListControls, type ColumnSpec } from '../../shared/customFields';
import { useFormatters } from '../../shared/i18n/useFormatters';
import { ListPager, useCursorList } from '../../shared/list';
import { warningState } from '../../shared/duplicates';
import { QueryState } from '../../shared/ui';
import { CompanyFormModal } from './CompanyFormModal';
import { companiesApi, customerQueryKeys, type CompanySort } from './customersApi';
import { ListSearchInput } from './ListSearchInput';

const defaultColumns = ['name', 'domain', 'industry', 'city', 'country', 'updatedAt'];

export function CompaniesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { formatDate } = useFormatters();
  const [isCreating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const definitions = useCustomFieldDefinitions('company');
  const standardColumns: ColumnSpec<Company>[] = [
    {
      value: 'name', label: t('fields.company.name'), sortable: true,
      render: (company) => <Anchor component={Link} to={`/companies/${company.id}`} onClick={(event) => event.stopPropagation()}>{company.name}</Anchor>,
    },
    { value: 'domain', label: t('fields.company.domain'), sortable: true, render: (company) => company.domain },
    { value: 'email', label: t('fields.company.email'), render: (company) => company.email },
    { value: 'phone', label: t('fields.company.phone'), render: (company) => company.phone },
    { value: 'industry', label: t('fields.company.industry'), render: (company) => company.industry },
    { value: 'city', label: t('fields.company.city'), render: (company) => company.city },
    { value: 'country', label: t('fields.company.country'), render: (company) => company.country },
    { value: 'tags', label: t('customization.tags.label'), render: (company) => <TagBadges tags={company.tags} /> },
    { value: 'createdAt', label: t('fields.common.createdAt'), sortable: true, render: (company) => formatDate(company.createdAt) },
    { value: 'updatedAt', label: t('fields.common.updatedAt'), sortable: true, render: (company) => formatDate(company.updatedAt) },
  ];
  const allColumns = [...standardColumns, ...customFieldColumns<Company>(definitions)];
  const controls = useListControls({ object: 'company', standardColumns: allColumns.slice(0, standardColumns.length), defaultColumns, definitions });
  const list = useCursorList({
    queryKey: [...customerQueryKeys.companies, 'list'],
    defaultSort: 'name' as CompanySort,
    fetchPage: companiesApi.list,
    extra: controls.extra,
  });
  const columns = controls.columns.map((value) => allColumns.find((column) => column.value === value)!);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.companies')}</Title>
        <Group gap="xs">
          <ExportMenu path="/companies/export" query={{ q: list.search, sort: list.sort, ...controls.extra }} />
          <Button onClick={openCreate}>{t('company.new')}</Button>
        </Group>
      </Group>
      <ListSearchInput label={t('list.search')} placeholder={t('company.searchPlaceholder')} value={list.search} onChange={list.setSearch} />
      <ListControls controls={controls} sort={list.sort} onSortChange={(sort) => list.setSort(sort as CompanySort)} />
      <QueryState isPending={list.isPending} error={list.error} />
      {!list.isPending && (
        <RecordTable
          rows={list.items}
          columns={columns}
          sort={list.sort}
          onSort={list.toggleSort}
          onOpen={(company) => void navigate(`/companies/${company.id}`)}
          emptyText={list.search ? t('list.noMatches') : t('company.empty')}
          dimmed={list.isPlaceholderData}
        />
      )}
      <ListPager
        pageNumber={list.pageNumber}
        itemCount={list.items.length}
        isFetching={list.isFetching}
        hasNextPage={list.hasNextPage}
        hasPreviousPage={list.hasPreviousPage}
        onFirst={list.goToFirstPage}
        onPrevious={list.goToPreviousPage}
        onNext={list.goToNextPage}
      />
      <CompanyFormModal opened={isCreating} onClose={closeCreate} onSaved={(company) => void navigate(`/companies/${company.id}`, warningState(company))} />
    </Stack>
  );
}
