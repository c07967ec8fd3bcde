import { Anchor, Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatters } from '../i18n/useFormatters';
import type { CustomFieldDefinition } from './customFieldsApi';
import { toMajorUnits } from './money';

/** A stored custom field value as a reader expects it: dates in their locale, money with its currency. */
export function CustomFieldValue({ definition, value }: { definition: CustomFieldDefinition; value: unknown }) {
  const { t, i18n } = useTranslation();
  const { formatDate, formatDateTime } = useFormatters();
  if (value === undefined || value === null) return null;
  switch (definition.type) {
    case 'money': {
      const money = value as { amount: number; currency: string };
      return <>{new Intl.NumberFormat(i18n.language, { style: 'currency', currency: money.currency }).format(toMajorUnits(money.amount, money.currency))}</>;
    }
    case 'date': return <>{formatDate(`${String(value)}T00:00:00`)}</>;
    case 'date_time': return <>{formatDateTime(String(value))}</>;
    case 'boolean': return <>{value ? t('customization.values.yes') : t('customization.values.no')}</>;
    case 'multi_select':
      return <Group gap={4}>{(value as string[]).map((option) => <Badge key={option} variant="light" size="sm">{option}</Badge>)}</Group>;
    case 'url': return <Anchor href={String(value)} target="_blank" rel="noreferrer">{String(value)}</Anchor>;
    case 'email': return <Anchor href={`mailto:${String(value)}`}>{String(value)}</Anchor>;
    case 'reference': {
      const path = definition.referenceObject === 'company' ? 'companies' : 'contacts';
      return <Anchor component={Link} to={`/${path}/${String(value)}`}>{t('customization.values.open')}</Anchor>;
    }
    default: return <>{String(value)}</>;
  }
}
