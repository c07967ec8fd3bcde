import { Alert, Badge, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customFieldsApi, customizationQueryKeys, type CustomFieldDefinition, type CustomFieldObject } from '../../shared/customFields';
import { useSession } from '../../shared/session';
import { ConfirmDeleteButton, QueryState } from '../../shared/ui';
import { CustomFieldFormModal } from './CustomFieldFormModal';

const administratorRoles = new Set(['owner', 'admin']);

/** Settings → Custom fields: administrators define the typed fields of contacts and companies. */
export function CustomFieldsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [object, setObject] = useState<CustomFieldObject>('contact');
  const [isFormOpen, { open, close }] = useDisclosure(false);
  const [editing, setEditing] = useState<CustomFieldDefinition | undefined>(undefined);
  const isAdministrator = administratorRoles.has(session?.user.role ?? '');
  const openForm = (definition?: CustomFieldDefinition) => {
    setEditing(definition);
    open();
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('customization.customFields.title')}</Title>
        {isAdministrator && <Button onClick={() => openForm()}>{t('customization.customFields.add')}</Button>}
      </Group>
      {isAdministrator ? (
        <>
          <SegmentedControl
            value={object}
            onChange={(value) => setObject(value as CustomFieldObject)}
            data={[{ value: 'contact', label: t('nav.contacts') }, { value: 'company', label: t('nav.companies') }]}
            w="fit-content"
          />
          <DefinitionsTable object={object} onEdit={openForm} />
          <CustomFieldFormModal key={editing?.id ?? object} opened={isFormOpen} onClose={close} object={object} definition={editing} />
        </>
      ) : (
        <Alert color="yellow">{t('customization.customFields.administratorsOnly')}</Alert>
      )}
    </Stack>
  );
}

function DefinitionsTable({ object, onEdit }: { object: CustomFieldObject; onEdit: (definition: CustomFieldDefinition) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const definitions = useQuery({ queryKey: customizationQueryKeys.customFields(object), queryFn: ({ signal }) => customFieldsApi.list(object, signal) });
  if (!definitions.data) return <QueryState isPending={definitions.isPending} error={definitions.error} />;
  const remove = async (definition: CustomFieldDefinition) => {
    await customFieldsApi.remove(definition.id);
    await queryClient.invalidateQueries({ queryKey: ['custom-fields'] });
  };
  return (
    <Table striped verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('customization.customFields.label')}</Table.Th>
          <Table.Th>{t('customization.customFields.key')}</Table.Th>
          <Table.Th>{t('customization.customFields.type')}</Table.Th>
          <Table.Th>{t('customization.customFields.flags')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {definitions.data.map((definition) => (
          <Table.Tr key={definition.id}>
            <Table.Td>{definition.label}</Table.Td>
            <Table.Td><Text ff="monospace" size="sm">{definition.key}</Text></Table.Td>
            <Table.Td>{t(`customization.types.${definition.type}`)}{definition.options.length > 0 && <Text size="xs" c="dimmed">{definition.options.join(', ')}</Text>}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {definition.required && <Badge size="sm" variant="light">{t('customization.customFields.required')}</Badge>}
                {definition.sensitive && <Badge size="sm" variant="light" color="red">{t('customization.customFields.sensitive')}</Badge>}
              </Group>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end">
                <Button size="xs" variant="default" onClick={() => onEdit(definition)}>{t('actions.edit')}</Button>
                <ConfirmDeleteButton name={definition.label} onConfirm={() => remove(definition)} />
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
        {definitions.data.length === 0 && (
          <Table.Tr><Table.Td colSpan={5}><Text c="dimmed" ta="center" py="md">{t('customization.customFields.empty')}</Text></Table.Td></Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}
