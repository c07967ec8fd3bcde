import { Button, Group, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { auditEntities, auditOperations } from './auditVocabulary';
import { useUsers } from './useAdminData';
import type { AuditFilterValues } from './useAuditLog';

interface AuditFiltersBarProps {
  values: AuditFilterValues;
  onChange: (name: keyof AuditFilterValues, value: string | null) => void;
  onReset: () => void;
}

export function AuditFiltersBar({ values, onChange, onReset }: AuditFiltersBarProps) {
  const { t } = useTranslation();
  const users = useUsers();
  const userOptions = (users.data ?? []).map((user) => ({ value: user.id, label: user.name }));
  const entityOptions = auditEntities.map((entity) => ({ value: entity, label: t(`admin.audit.entities.${entity}`) }));
  const operationOptions = auditOperations.map((operation) => ({ value: operation, label: t(`admin.audit.operations.${operation}`) }));
  const isFiltered = Object.values(values).some(Boolean);
  return (
    <Group align="flex-end" gap="sm" data-testid="audit-filters">
      <Select
        label={t('admin.audit.actor')}
        placeholder={t('admin.audit.anyone')}
        data={userOptions}
        value={values.actorId || null}
        onChange={(value) => onChange('actorId', value)}
        clearable
        searchable
        w={200}
      />
      <Select
        label={t('admin.audit.entity')}
        placeholder={t('admin.audit.anything')}
        data={entityOptions}
        value={values.entity || null}
        onChange={(value) => onChange('entity', value)}
        clearable
        w={180}
      />
      <Select
        label={t('admin.audit.operation')}
        placeholder={t('admin.audit.anyOperation')}
        data={operationOptions}
        value={values.operation || null}
        onChange={(value) => onChange('operation', value)}
        clearable
        w={170}
      />
      <TextInput type="date" label={t('admin.audit.from')} value={values.fromDate} onChange={(event) => onChange('fromDate', event.currentTarget.value)} w={160} />
      <TextInput type="date" label={t('admin.audit.to')} value={values.toDate} onChange={(event) => onChange('toDate', event.currentTarget.value)} w={160} />
      <Button variant="subtle" onClick={onReset} disabled={!isFiltered}>
        {t('admin.audit.clearFilters')}
      </Button>
    </Group>
  );
}
