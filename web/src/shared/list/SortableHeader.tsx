import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

interface SortableHeaderProps {
  field: string;
  sort: string;
  onSort: (field: string) => void;
  children: ReactNode;
}

export function SortableHeader({ field, sort, onSort, children }: SortableHeaderProps) {
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : 'none';
  const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕';
  return (
    <Table.Th aria-sort={direction}>
      <UnstyledButton onClick={() => onSort(field)} style={{ fontWeight: 600 }}>
        <Group gap={4} wrap="nowrap">
          <span>{children}</span>
          <Text span size="xs" c={direction === 'none' ? 'dimmed' : undefined} aria-hidden>
            {arrow}
          </Text>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
