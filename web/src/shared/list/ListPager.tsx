import { Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface ListPagerProps {
  pageNumber: number;
  itemCount: number;
  isFetching: boolean;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
}

export function ListPager(props: ListPagerProps) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between">
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('list.pageSummary', { page: props.pageNumber, count: props.itemCount })}
        </Text>
        {props.isFetching && <Loader size="xs" aria-label={t('list.loading')} />}
      </Group>
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={props.onFirst} disabled={!props.hasPreviousPage}>
          {t('list.firstPage')}
        </Button>
        <Button variant="default" size="xs" onClick={props.onPrevious} disabled={!props.hasPreviousPage}>
          {t('list.previousPage')}
        </Button>
        <Button variant="default" size="xs" onClick={props.onNext} disabled={!props.hasNextPage}>
          {t('list.nextPage')}
        </Button>
      </Group>
    </Group>
  );
}
