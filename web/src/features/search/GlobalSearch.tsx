import { Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { pathOf, searchApi, type SearchHit } from './searchApi';
import { useDebouncedValue } from './useDebouncedValue';

const groupOrder = ['contact', 'company'];

/** Hits grouped by type, in the order the server ranked them within each group. */
function groupHits(hits: SearchHit[]): Array<[string, SearchHit[]]> {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) groups.set(hit.type, [...(groups.get(hit.type) ?? []), hit]);
  return [...groups.entries()].sort(([a], [b]) => (groupOrder.indexOf(a) + 1 || 99) - (groupOrder.indexOf(b) + 1 || 99));
}

/** The header's search box: contacts and companies by name, word, email, phone or domain. */
export function GlobalSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), 250);
  const results = useQuery({
    queryKey: ['search', query],
    queryFn: ({ signal }) => searchApi.search(query, signal),
    enabled: query.length > 0,
    staleTime: 10_000,
  });
  const hits = results.data?.items ?? [];

  const open = (value: string) => {
    const hit = hits.find((candidate) => `${candidate.type}:${candidate.id}` === value);
    const path = hit && pathOf(hit);
    if (!path) return;
    combobox.closeDropdown();
    setText('');
    void navigate(path);
  };

  return (
    <Combobox store={combobox} onOptionSubmit={open} width={420} position="bottom-start">
      <Combobox.Target>
        <TextInput
          size="xs"
          w={{ base: 160, sm: 320 }}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          value={text}
          rightSection={results.isFetching ? <Loader size={12} /> : null}
          onChange={(event) => {
            setText(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          data-testid="global-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={query.length === 0}>
        <Combobox.Options mah={420} style={{ overflowY: 'auto' }}>
          {results.isSuccess && hits.length === 0 && <Combobox.Empty>{t('search.empty')}</Combobox.Empty>}
          {results.isError && <Combobox.Empty>{t('search.failed')}</Combobox.Empty>}
          {groupHits(hits).map(([type, items]) => (
            <Combobox.Group key={type} label={t(`search.types.${type}`, { defaultValue: type })}>
              {items.map((hit) => (
                <Combobox.Option key={hit.id} value={`${hit.type}:${hit.id}`} disabled={!pathOf(hit)}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" truncate>{hit.title}</Text>
                      {hit.subtitle && <Text size="xs" c="dimmed" truncate>{hit.subtitle}</Text>}
                    </div>
                    <Text size="xs" c="dimmed">{t(`search.matchedOn.${hit.matchedOn}`, { defaultValue: hit.matchedOn })}</Text>
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Group>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
