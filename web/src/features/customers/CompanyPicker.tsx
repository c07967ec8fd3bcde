import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerQueryKeys, companiesApi } from './customersApi';

export interface CompanyOption {
  id: string;
  name: string;
}

interface CompanyPickerProps {
  value: CompanyOption | null;
  onChange: (company: CompanyOption | null) => void;
  error?: React.ReactNode;
}

/**
 * Searches companies on the server as the user types; there can be thousands, so the list
 * is never loaded whole and Mantine's own client-side filter is switched off.
 */
export function CompanyPicker({ value, onChange, error }: CompanyPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value?.name ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  // While the text still equals the chosen company's name, show the start of the list instead.
  const query = debouncedSearch === value?.name ? '' : debouncedSearch;
  const companies = useQuery({
    queryKey: [...customerQueryKeys.companies, 'picker', query],
    queryFn: ({ signal }) => companiesApi.search(query, signal),
    placeholderData: keepPreviousData,
  });

  const options = useMemo(() => {
    const found = (companies.data?.items ?? []).map((company) => ({ id: company.id, name: company.name }));
    const withSelected = value && !found.some((company) => company.id === value.id) ? [value, ...found] : found;
    return withSelected;
  }, [companies.data, value]);

  return (
    <Select
      label={t('fields.contact.company')}
      placeholder={t('company.pickerPlaceholder')}
      searchable
      clearable
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options.map((company) => ({ value: company.id, label: company.name }))}
      nothingFoundMessage={companies.isFetching ? t('list.loading') : t('company.pickerNothingFound')}
      onChange={(id) => onChange(options.find((company) => company.id === id) ?? null)}
      error={error}
    />
  );
}
