import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { ExportMenu } from '../../shared/export';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Contact } from '../../shared/api';
import { ListControls, RecordTable, TagBadges, customFieldColumns, useCustomFieldDefinitions, useListControls, type ColumnSpec } from '../../shared/customFields';
import { useFormatters } from '../../shared/i18n/useFormatters';
import { ListPager, useCursorList } from '../../shared/list';
import { warningState } from '../../shared/duplicates';
import { QueryState } from '../../shared/ui';
import { ContactFormModal } from './ContactFormModal';
import { contactsApi, customerQueryKeys, type ContactSort } from './customersApi';
import { ListSearchInput } from './ListSearchInput';

const defaultColumns = ['name', 'email', 'phone', 'title', 'companyName', 'updatedAt'];

export function ContactsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { formatDate } = useFormatters();
  const [isCreating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const definitions = useCustomFieldDefinitions('contact');
  const standardColumns: ColumnSpec<Contact>[] = [
    {
      value: 'name', label: t('fields.contact.name'), sortable: true,
      render: (contact) => <Anchor component={Link} to={`/contacts/${contact.id}`} onClick={(event) => event.stopPropagation()}>{contact.name}</Anchor>,
    },
    { value: 'email', label: t('fields.contact.email'), sortable: true, render: (contact) => contact.email },
    { value: 'phone', label: t('fields.contact.phone'), render: (contact) => contact.phone },
    { value: 'title', label: t('fields.contact.title'), render: (contact) => contact.title },
    { value: 'companyName', label: t('fields.contact.company'), render: (contact) => contact.companyName },
    { value: 'tags', label: t('customization.tags.label'), render: (contact) => <TagBadges tags={contact.tags} /> },
    { value: 'createdAt', label: t('fields.common.createdAt'), sortable: true, render: (contact) => formatDate(contact.createdAt) },
    { value: 'updatedAt', label: t('fields.common.updatedAt'), sortable: true, render: (contact) => formatDate(contact.updatedAt) },
  ];
  const allColumns = [...standardColumns, ...customFieldColumns<Contact>(definitions)];
  const controls = useListControls({ object: 'contact', standardColumns: allColumns.slice(0, standardColumns.length), defaultColumns, definitions });
  const list = useCursorList({
    queryKey: [...customerQueryKeys.contacts, 'list'],
    defaultSort: 'name' as ContactSort,
    fetchPage: contactsApi.list,
    extra: controls.extra,
  });
  const columns = controls.columns.map((value) => allColumns.find((column) => column.value === value)!);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.contacts')}</Title>
        <Group gap="xs">
          <ExportMenu path="/contacts/export" query={{ q: list.search, sort: list.sort, ...controls.extra }} />
          <Button onClick={openCreate}>{t('contact.new')}</Button>
        </Group>
      </Group>
      <ListSearchInput label={t('list.search')} placeholder={t('contact.searchPlaceholder')} value={list.search} onChange={list.setSearch} />
      <ListControls controls={controls} sort={list.sort} onSortChange={(sort) => list.setSort(sort as ContactSort)} />
      <QueryState isPending={list.isPending} error={list.error} />
      {!list.isPending && (
        <RecordTable
          rows={list.items}
          columns={columns}
          sort={list.sort}
          onSort={list.toggleSort}
          onOpen={(contact) => void navigate(`/contacts/${contact.id}`)}
          emptyText={list.search ? t('list.noMatches') : t('contact.empty')}
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
      <ContactFormModal opened={isCreating} onClose={closeCreate} onSaved={(contact) => void navigate(`/contacts/${contact.id}`, warningState(contact))} />
    </Stack>
  );
}
