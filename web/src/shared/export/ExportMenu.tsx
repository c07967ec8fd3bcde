import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { toQueryString, type QueryValue } from '../api';

/**
 * "Export" on a list: downloads the list as it is filtered, searched and sorted, as CSV or
 * JSON. The server streams the file, so a plain link is enough (the session cookie goes along).
 */
export function ExportMenu({ path, query }: { path: string; query: Record<string, QueryValue> }) {
  const { t } = useTranslation();
  const href = (format: 'csv' | 'json') => `/api/v1${path}${toQueryString({ ...query, format })}`;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default">{t('exports.button')}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href={href('csv')} download>{t('exports.csv')}</Menu.Item>
        <Menu.Item component="a" href={href('json')} download>{t('exports.json')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
