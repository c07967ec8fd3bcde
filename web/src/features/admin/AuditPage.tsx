import { Button, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../shared/list';
import { buildAuditExportUrl } from './adminApi';
import { AdminPage, AdminQueryState } from './AdminPage';
import { AuditFiltersBar } from './AuditFiltersBar';
import { AuditTable } from './AuditTable';
import { toAuditFilters, useAuditFilterValues, useAuditLog } from './useAuditLog';

/** Who did what, when, from which address: the workspace's change log, filtered and exportable. */
export function AuditPage() {
  const { t } = useTranslation();
  const { values, setValue, reset } = useAuditFilterValues();
  const filters = toAuditFilters(values);
  const exportLink = (
    <Button component="a" href={buildAuditExportUrl(filters)} download="audit.csv" variant="default" data-testid="audit-export">
      {t('admin.audit.export')}
    </Button>
  );
  return (
    <AdminPage title={t('admin.audit.title')} actions={exportLink}>
      <AuditLog filters={filters} values={values} setValue={setValue} reset={reset} />
    </AdminPage>
  );
}

type AuditLogProps = ReturnType<typeof useAuditFilterValues> & { filters: ReturnType<typeof toAuditFilters> };

function AuditLog({ filters, values, setValue, reset }: AuditLogProps) {
  const log = useAuditLog(filters);
  return (
    <Stack>
      <AuditFiltersBar values={values} onChange={setValue} onReset={reset} />
      <AdminQueryState isPending={log.isPending} error={log.error} />
      {!log.isPending && !log.error && <AuditTable items={log.items} isStale={log.isPlaceholderData} />}
      <ListPager
        pageNumber={log.pageNumber}
        itemCount={log.items.length}
        isFetching={log.isFetching}
        hasNextPage={log.hasNextPage}
        hasPreviousPage={log.hasPreviousPage}
        onFirst={log.goToFirstPage}
        onPrevious={log.goToPreviousPage}
        onNext={log.goToNextPage}
      />
    </Stack>
  );
}
