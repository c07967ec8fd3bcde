import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { SortableHeader } from '../list';
import type { CustomFieldDefinition } from './customFieldsApi';
import { CustomFieldValue } from './CustomFieldValue';

export interface ColumnSpec<Row> {
  value: string;
  label: string;
  sortable?: boolean;
  render: (row: Row) => ReactNode;
}

/** Columns for a list's custom fields: each shows its value and sorts by it. */
export function customFieldColumns<Row extends { customFields?: Record<string, unknown> }>(definitions: CustomFieldDefinition[]): ColumnSpec<Row>[] {
  return definitions.map((definition) => ({
    value: `custom.${definition.key}`,
    label: definition.label,
    // Sensitive fields are stored encrypted: the server cannot sort by them.
    sortable: definition.type !== 'multi_select' && !definition.sensitive,
    render: (row) => <CustomFieldValue definition={definition} value={row.customFields?.[definition.key]} />,
  }));
}

interface RecordTableProps<Row extends { id: string }> {
  rows: Row[];
  columns: ColumnSpec<Row>[];
  sort: string;
  onSort: (field: string) => void;
  onOpen: (row: Row) => void;
  emptyText: string;
  dimmed: boolean;
}

/** A list's table with the chosen columns, in order; a row click opens the record. */
export function RecordTable<Row extends { id: string }>({ rows, columns, sort, onSort, onOpen, emptyText, dimmed }: RecordTableProps<Row>) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing="xs" style={{ opacity: dimmed ? 0.6 : 1 }}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (column.sortable
              ? <SortableHeader key={column.value} field={column.value} sort={sort} onSort={onSort}>{column.label}</SortableHeader>
              : <Table.Th key={column.value}>{column.label}</Table.Th>))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} style={{ cursor: 'pointer' }} onClick={() => onOpen(row)}>
              {columns.map((column) => <Table.Td key={column.value}>{column.render(row)}</Table.Td>)}
            </Table.Tr>
          ))}
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text c="dimmed" ta="center" py="md">{emptyText}</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
