import { Checkbox, Group, MultiSelect, NumberInput, Select, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import type { CustomFieldDefinition } from './customFieldsApi';
import { toMajorUnits, toMinorUnits } from './money';

interface CustomFieldInputsProps {
  definitions: CustomFieldDefinition[];
  values: Record<string, unknown>;
  /** Server messages by field path, e.g. `customFields.tier`. */
  errors: Record<string, unknown>;
  onChange: (key: string, value: unknown) => void;
}

/** One input per custom field, chosen by its type; values are kept in the API's form. */
export function CustomFieldInputs({ definitions, values, errors, onChange }: CustomFieldInputsProps) {
  if (definitions.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {definitions.map((definition) => (
        <CustomFieldInput
          key={definition.key}
          definition={definition}
          value={values[definition.key]}
          error={errors[`customFields.${definition.key}`] as string | undefined}
          onChange={(value) => onChange(definition.key, value)}
        />
      ))}
    </SimpleGrid>
  );
}

interface InputProps {
  definition: CustomFieldDefinition;
  value: unknown;
  error?: string;
  onChange: (value: unknown) => void;
}

/** `2026-01-02T08:00:00.000Z` as the local `2026-01-02T09:00` a datetime-local input shows. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function CustomFieldInput({ definition, value, error, onChange }: InputProps) {
  const common = { label: definition.label, required: definition.required, error };
  const text = typeof value === 'string' ? value : '';
  switch (definition.type) {
    case 'long_text':
      return <Textarea {...common} autosize minRows={2} value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'number':
      return <NumberInput {...common} value={typeof value === 'number' ? value : ''} onChange={(next) => onChange(next === '' ? null : Number(next))} />;
    case 'money':
      return <MoneyInput {...common} value={value as { amount: number; currency: string } | null | undefined} onChange={onChange} />;
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'date_time':
      return (
        <TextInput {...common} type="datetime-local" value={text ? toLocalInput(text) : ''}
          onChange={(event) => onChange(event.currentTarget.value ? new Date(event.currentTarget.value).toISOString() : null)} />
      );
    case 'boolean':
      return <Checkbox mt="lg" label={definition.label} error={error} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
    case 'single_select':
      return <Select {...common} data={definition.options} clearable value={text || null} onChange={(next) => onChange(next)} />;
    case 'multi_select':
      return <MultiSelect {...common} data={definition.options} clearable value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
    case 'reference':
      return <ReferenceInput {...common} object={definition.referenceObject ?? 'company'} value={text || null} onChange={onChange} />;
    default:
      return (
        <TextInput {...common} type={definition.type === 'email' ? 'email' : definition.type === 'phone' ? 'tel' : definition.type === 'url' ? 'url' : 'text'}
          value={text} onChange={(event) => onChange(event.currentTarget.value)} />
      );
  }
}

function MoneyInput({ label, required, error, value, onChange }: { label: string; required: boolean; error?: string; value: { amount: number; currency: string } | null | undefined; onChange: (value: unknown) => void }) {
  const { t } = useTranslation();
  const [currency, setCurrency] = useState(value?.currency ?? 'USD');
  const amount = value ? toMajorUnits(value.amount, value.currency) : '';
  const update = (major: number | string, nextCurrency: string) =>
    onChange(major === '' ? null : { amount: toMinorUnits(Number(major), nextCurrency), currency: nextCurrency });
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <NumberInput label={label} required={required} error={error} value={amount} decimalScale={3} style={{ flex: 1 }} onChange={(major) => update(major, currency)} />
      <TextInput
        label={t('customization.values.currency')} w={80} maxLength={3} value={currency}
        onChange={(event) => {
          const next = event.currentTarget.value.toUpperCase();
          setCurrency(next);
          if (value && next.length === 3) update(amount, next);
        }}
      />
    </Group>
  );
}

function ReferenceInput({ label, required, error, object, value, onChange }: { label: string; required: boolean; error?: string; object: string; value: string | null; onChange: (value: unknown) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const path = object === 'company' ? '/companies' : '/contacts';
  const query = useQuery({
    queryKey: ['reference-options', path, debounced],
    queryFn: ({ signal }) => api.get<Page<{ id: string; name: string }>>(path, { q: debounced || undefined, limit: 20, sort: 'name' }, signal),
  });
  const options = (query.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }));
  if (value && !options.some((option) => option.value === value)) options.unshift({ value, label: value });
  return (
    <Select label={label} required={required} error={error} searchable clearable data={options} value={value}
      searchValue={search} onSearchChange={setSearch} onChange={(next) => onChange(next)} filter={({ options: all }) => all} />
  );
}
