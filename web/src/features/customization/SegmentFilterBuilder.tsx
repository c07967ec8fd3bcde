import { ActionIcon, Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SegmentCondition, SegmentFilter } from '../../shared/customFields';
import { operatorsByKind, type SegmentField } from './segmentFields';

interface SegmentFilterBuilderProps {
  fields: SegmentField[];
  filter: SegmentFilter;
  onChange: (filter: SegmentFilter) => void;
  /** Server problems by path, e.g. `filter.groups[0].conditions[1].value`. */
  errors: Record<string, string>;
}

/** Groups of conditions: all or any within each group, and all or any across the groups. */
export function SegmentFilterBuilder({ fields, filter, onChange, errors }: SegmentFilterBuilderProps) {
  const { t } = useTranslation();
  const setGroup = (index: number, group: SegmentFilter['groups'][number] | null) =>
    onChange({ ...filter, groups: group ? filter.groups.map((candidate, at) => (at === index ? group : candidate)) : filter.groups.filter((_, at) => at !== index) });
  const firstField = fields[0];
  const newCondition = (): SegmentCondition => ({ field: firstField.value, operator: operatorsByKind[firstField.kind][0] });
  return (
    <Stack>
      <MatchControl label={t('customization.segments.acrossGroups')} value={filter.match} onChange={(match) => onChange({ ...filter, match })} />
      {filter.groups.map((group, groupIndex) => (
        <Paper key={groupIndex} withBorder p="sm" radius="md">
          <Stack gap="xs">
            <Group justify="space-between">
              <MatchControl label={t('customization.segments.withinGroup')} value={group.match} onChange={(match) => setGroup(groupIndex, { ...group, match })} />
              <Button size="xs" variant="subtle" color="red" onClick={() => setGroup(groupIndex, null)}>{t('customization.segments.removeGroup')}</Button>
            </Group>
            {group.conditions.map((condition, conditionIndex) => (
              <ConditionRow
                key={conditionIndex}
                fields={fields}
                condition={condition}
                errorPath={`filter.groups[${groupIndex}].conditions[${conditionIndex}]`}
                errors={errors}
                onChange={(next) => setGroup(groupIndex, {
                  ...group,
                  conditions: next ? group.conditions.map((candidate, at) => (at === conditionIndex ? next : candidate)) : group.conditions.filter((_, at) => at !== conditionIndex),
                })}
              />
            ))}
            {errors[`filter.groups[${groupIndex}].conditions`] && <Text c="red" size="sm">{errors[`filter.groups[${groupIndex}].conditions`]}</Text>}
            <Button size="xs" variant="light" w="fit-content" onClick={() => setGroup(groupIndex, { ...group, conditions: [...group.conditions, newCondition()] })}>
              {t('customization.segments.addCondition')}
            </Button>
          </Stack>
        </Paper>
      ))}
      <Button variant="default" w="fit-content" onClick={() => onChange({ ...filter, groups: [...filter.groups, { match: 'all', conditions: [newCondition()] }] })}>
        {t('customization.segments.addGroup')}
      </Button>
    </Stack>
  );
}

function MatchControl({ label, value, onChange }: { label: string; value: 'all' | 'any'; onChange: (value: 'all' | 'any') => void }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm">{label}</Text>
      <SegmentedControl size="xs" value={value} onChange={(next) => onChange(next as 'all' | 'any')}
        data={[{ value: 'all', label: t('customization.segments.all') }, { value: 'any', label: t('customization.segments.any') }]} />
    </Group>
  );
}

interface ConditionRowProps {
  fields: SegmentField[];
  condition: SegmentCondition;
  errorPath: string;
  errors: Record<string, string>;
  onChange: (condition: SegmentCondition | null) => void;
}

function ConditionRow({ fields, condition, errorPath, errors, onChange }: ConditionRowProps) {
  const { t } = useTranslation();
  const field = fields.find((candidate) => candidate.value === condition.field) ?? fields[0];
  const operators = operatorsByKind[field.kind];
  const labelOf = (candidate: SegmentField) => ('key' in candidate.label ? t(candidate.label.key) : candidate.label.text);
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <Select
        aria-label={t('customization.segments.field')} searchable allowDeselect={false} w={200}
        data={fields.map((candidate) => ({ value: candidate.value, label: labelOf(candidate) }))}
        value={field.value} error={errors[`${errorPath}.field`]}
        onChange={(value) => {
          const next = fields.find((candidate) => candidate.value === value) ?? field;
          onChange({ field: next.value, operator: operatorsByKind[next.kind][0] });
        }}
      />
      <Select
        aria-label={t('customization.segments.operator')} allowDeselect={false} w={150}
        data={operators.map((operator) => ({ value: operator, label: t(`customization.operators.${operator}`) }))}
        value={operators.includes(condition.operator) ? condition.operator : operators[0]} error={errors[`${errorPath}.operator`]}
        onChange={(operator) => onChange({ field: field.value, operator: operator ?? operators[0] })}
      />
      <ValueInput field={field} operator={condition.operator} value={condition.value} error={errors[`${errorPath}.value`] ?? errors[errorPath]}
        onChange={(value) => onChange({ ...condition, value })} />
      <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('customization.segments.removeCondition')} onClick={() => onChange(null)}>✕</ActionIcon>
    </Group>
  );
}

function ValueInput({ field, operator, value, error, onChange }: { field: SegmentField; operator: string; value: unknown; error?: string; onChange: (value: unknown) => void }) {
  const { t } = useTranslation();
  const label = t('customization.segments.value');
  const isNumeric = field.kind === 'number';
  if (operator === 'isEmpty' || operator === 'isNotEmpty') return null;
  if (operator === 'withinDays' || operator === 'notWithinDays') {
    return <NumberInput aria-label={label} w={120} min={1} suffix={` ${t('customization.segments.days')}`} error={error} value={typeof value === 'number' ? value : ''} onChange={(next) => onChange(next === '' ? undefined : Number(next))} />;
  }
  if (operator === 'in') {
    const list = Array.isArray(value) ? value.map(String) : [];
    return <TagsInput aria-label={label} error={error} data={field.options ?? []} value={list} onChange={(next) => onChange(isNumeric ? next.map(Number) : next)} style={{ flex: 1 }} />;
  }
  if (operator === 'between') {
    const pair = Array.isArray(value) ? value : [undefined, undefined];
    const single = (index: number) => (isNumeric
      ? <NumberInput aria-label={label} w={110} error={index === 0 ? error : undefined} value={typeof pair[index] === 'number' ? (pair[index] as number) : ''} onChange={(next) => onChange(pair.map((item, at) => (at === index ? Number(next) : item)))} />
      : <TextInput aria-label={label} w={150} type={field.kind === 'date' ? 'date' : 'text'} error={index === 0 ? error : undefined} value={String(pair[index] ?? '')} onChange={(event) => onChange(pair.map((item, at) => (at === index ? event.currentTarget.value : item)))} />);
    return <Group gap={4} wrap="nowrap">{single(0)}{single(1)}</Group>;
  }
  if (isNumeric) return <NumberInput aria-label={label} w={140} error={error} value={typeof value === 'number' ? value : ''} onChange={(next) => onChange(next === '' ? undefined : Number(next))} />;
  if (field.kind === 'boolean') {
    return <Select aria-label={label} w={120} error={error} data={[{ value: 'true', label: t('customization.values.yes') }, { value: 'false', label: t('customization.values.no') }]} value={value === undefined ? null : String(value)} onChange={(next) => onChange(next === 'true')} />;
  }
  if (field.options) return <Select aria-label={label} w={180} error={error} data={field.options} value={typeof value === 'string' ? value : null} onChange={(next) => onChange(next ?? undefined)} />;
  return <TextInput aria-label={label} error={error} style={{ flex: 1 }} type={field.kind === 'date' ? 'date' : 'text'} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value)} />;
}
