import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { companiesApi, customerQueryKeys } from './customersApi';

/**
 * A company id shown as its name. The change log stores ids; the company may have been
 * renamed or deleted since, so the name is looked up now (and cached with the detail query).
 */
export function CompanyReference({ id }: { id: string }) {
  const { t } = useTranslation();
  const company = useQuery({
    queryKey: customerQueryKeys.company(id),
    queryFn: ({ signal }) => companiesApi.get(id, signal),
    retry: false,
  });
  if (company.data) {
    return (
      <Anchor component={Link} to={`/companies/${id}`} size="sm">
        {company.data.name}
      </Anchor>
    );
  }
  return (
    <Text span size="sm" c="dimmed" fs="italic">
      {company.isError ? t('company.deleted') : t('list.loading')}
    </Text>
  );
}
