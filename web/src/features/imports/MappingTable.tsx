import { Select, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Mapping } from './importsApi';

interface MappingTableProps {
  headers: string[];
  sampleRows: string[][];
  fields: string[];
  mapping: Mapping;
  onChange(mapping: Mapping): void;
}

/** One line per file column: its first values and the field it goes to (or nowhere). */
export function MappingTable({ headers, sampleRows, fields, mapping, onChange }: MappingTableProps) {
  const { t } = useTranslation();
  const label = (field: string) => (field.startsWith('customFields.') ? field.slice('customFields.'.length) : t(`imports.fields.${field}`));
  const options = [{ value: '', label: t('imports.mapping.ignore') }, ...fields.map((field) => ({ value: field, label: label(field) }))];
  const setField = (header: string, field: string | null) => {
    const next = { ...mapping };
    delete next[header];
    if (field) next[header] = field;
    onChange(next);
  };
  return (
    <Table striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('imports.mapping.column')}</Table.Th>
          <Table.Th>{t('imports.mapping.sample')}</Table.Th>
          <Table.Th>{t('imports.mapping.field')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {headers.map((header, index) => (
          <Table.Tr key={header}>
            <Table.Td>{header}</Table.Td>
            <Table.Td><Text size="sm" c="dimmed" lineClamp={1}>{sampleRows.slice(0, 3).map((row) => row[index]).filter(Boolean).join(' · ')}</Text></Table.Td>
            <Table.Td>
              <Select aria-label={t('imports.mapping.fieldFor', { column: header })} data={options} value={mapping[header] ?? ''} onChange={(value) => setField(header, value)} allowDeselect={false} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
