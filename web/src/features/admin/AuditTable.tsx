import { Anchor, Badge, Button, Code, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatters } from '../../shared/i18n/useFormatters';
import type { AuditItem } from './adminApi';
import { useUsers } from './useAdminData';
import { recordPath } from './auditVocabulary';

const columnCount = 7;

export function AuditTable({ items, isStale }: { items: AuditItem[]; isStale: boolean }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const toggle = (seq: number) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="xs" style={{ opacity: isStale ? 0.6 : 1 }} data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.audit.time')}</Table.Th>
            <Table.Th>{t('admin.audit.actor')}</Table.Th>
            <Table.Th>{t('admin.audit.operation')}</Table.Th>
            <Table.Th>{t('admin.audit.entity')}</Table.Th>
            <Table.Th>{t('admin.audit.ip')}</Table.Th>
            <Table.Th>{t('admin.audit.changes')}</Table.Th>
            <Table.Th aria-label={t('admin.audit.details')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Fragment key={item.seq}>
              <AuditRow item={item} isExpanded={expanded.has(item.seq)} onToggle={() => toggle(item.seq)} />
              {expanded.has(item.seq) && (
                <Table.Tr>
                  <Table.Td colSpan={columnCount} bg="var(--mantine-color-gray-0)">
                    <AuditChanges item={item} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                <Text c="dimmed" ta="center" py="md">{t('admin.audit.empty')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

// Companies and contacts have field names of their own; `fields.user` is worded for sign-up.
const entitiesWithFieldNames = new Set(['company', 'contact']);

function useFieldLabel(entity: string) {
  const { t } = useTranslation();
  return (field: string) => {
    const generic = t(`admin.audit.fields.${field}`, { defaultValue: field });
    return entitiesWithFieldNames.has(entity) ? t(`fields.${entity}.${field}`, { defaultValue: generic }) : generic;
  };
}

function AuditRow({ item, isExpanded, onToggle }: { item: AuditItem; isExpanded: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const { formatDateTime } = useFormatters();
  const fieldLabel = useFieldLabel(item.entity);
  const fields = Object.keys(item.changes);
  const path = recordPath(item.entity, item.entityId);
  return (
    <Table.Tr data-testid="audit-row" data-entity={item.entity} data-operation={item.operation}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={item.at}>{formatDateTime(item.at)}</time>
      </Table.Td>
      <Table.Td>
        {item.actor?.name ?? t('admin.audit.system')}
        {item.actorType && item.actorType !== 'user' && (
          <Text span size="xs" c="dimmed"> ({t(`admin.audit.actorTypes.${item.actorType}`, { defaultValue: item.actorType })})</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={operationColors[item.operation] ?? 'gray'}>
          {t(`admin.audit.operations.${item.operation}`, { defaultValue: item.operation })}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t(`admin.audit.entities.${item.entity}`, { defaultValue: item.entity })}</Text>
        {path ? (
          <Anchor component={Link} to={path} size="xs" ff="monospace">
            {item.entityId}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed" ff="monospace">
            {item.entityId}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{item.ip ? <Code>{item.ip}</Code> : t('common.none')}</Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={2}>
          {fields.length > 0 ? fields.map(fieldLabel).join(', ') : t('common.none')}
        </Text>
      </Table.Td>
      <Table.Td>
        {fields.length > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={onToggle} aria-expanded={isExpanded}>
            {isExpanded ? t('admin.audit.hideChanges') : t('admin.audit.showChanges')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

const operationColors: Record<string, string> = { create: 'green', update: 'blue', delete: 'red', sign_in: 'gray', sign_in_failed: 'orange' };

// Fields that hold user ids; their values read better as names.
const userFields = new Set(['ownerId', 'managerId', 'memberIds', 'actorId', 'userId']);

function AuditChanges({ item }: { item: AuditItem }) {
  const fieldLabel = useFieldLabel(item.entity);
  const users = useUsers();
  const userNames = new Map((users.data ?? []).map((user) => [user.id, user.name]));
  const nameOf = (value: unknown) => (typeof value === 'string' ? (userNames.get(value) ?? value) : value);
  const readable = (field: string, value: unknown) => {
    if (!userFields.has(field)) return value;
    return Array.isArray(value) ? value.map(nameOf).join(', ') : nameOf(value);
  };
  return (
    <Stack gap={4} data-testid="audit-changes">
      {Object.entries(item.changes).map(([field, change]) => (
        <Text key={field} size="sm">
          <Text span fw={500} size="sm">{fieldLabel(field)}:</Text>{' '}
          {item.operation !== 'create' && (
            <>
              <ChangeValue value={readable(field, change.before)} /> →{' '}
            </>
          )}
          <ChangeValue value={readable(field, change.after)} />
        </Text>
      ))}
    </Stack>
  );
}

function ChangeValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return <Text span c="dimmed" size="sm" fs="italic">{t('history.emptyValue')}</Text>;
  }
  return <Code style={{ wordBreak: 'break-all' }}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Code>;
}
