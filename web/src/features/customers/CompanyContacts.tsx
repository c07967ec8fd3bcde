import { Anchor, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Company } from '../../shared/api';
import { QueryState } from '../../shared/ui';
import { ContactFormModal } from './ContactFormModal';
import { contactsApi, customerQueryKeys } from './customersApi';

/** The people at one company, with a shortcut to add another one there. */
export function CompanyContacts({ company }: { company: Company }) {
  const { t } = useTranslation();
  const [isCreating, { open, close }] = useDisclosure(false);
  const contactsQuery = useQuery({
    queryKey: customerQueryKeys.companyContacts(company.id),
    queryFn: ({ signal }) => contactsApi.listForCompany(company.id, signal),
  });
  const contacts = contactsQuery.data?.items ?? [];

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <Title order={3}>{t('company.contactsTitle')}</Title>
        <Button variant="light" size="xs" onClick={open}>{t('contact.new')}</Button>
      </Group>
      <QueryState isPending={contactsQuery.isPending} error={contactsQuery.error} />
      {contactsQuery.isSuccess && contacts.length === 0 && <Text c="dimmed">{t('company.noContacts')}</Text>}
      {contacts.length > 0 && (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.contact.name')}</Table.Th>
              <Table.Th>{t('fields.contact.title')}</Table.Th>
              <Table.Th>{t('fields.contact.email')}</Table.Th>
              <Table.Th>{t('fields.contact.phone')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contacts.map((contact) => (
              <Table.Tr key={contact.id}>
                <Table.Td><Anchor component={Link} to={`/contacts/${contact.id}`}>{contact.name}</Anchor></Table.Td>
                <Table.Td>{contact.title}</Table.Td>
                <Table.Td>{contact.email}</Table.Td>
                <Table.Td>{contact.phone}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {contactsQuery.data?.nextCursor && (
        <Text size="sm" c="dimmed" mt="xs">{t('company.moreContacts')}</Text>
      )}
      <ContactFormModal opened={isCreating} onClose={close} company={{ id: company.id, name: company.name }} />
    </Paper>
  );
}
