import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface FieldItem {
  label: string;
  value: ReactNode;
}

/** Read-only label/value pairs for a detail page; empty values show a dash, not a blank. */
export function FieldList({ items }: { items: FieldItem[] }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" verticalSpacing="sm">
      {items.map((item) => (
        <Stack key={item.label} gap={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {item.label}
          </Text>
          <Text>{item.value === null || item.value === undefined || item.value === '' ? t('common.none') : item.value}</Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
