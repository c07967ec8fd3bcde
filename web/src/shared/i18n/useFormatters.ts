import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Date formatting that follows the chosen UI language rather than the browser's. */
export function useFormatters() {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
    return {
      formatDateTime: (value: string) => dateTime.format(new Date(value)),
      formatDate: (value: string) => date.format(new Date(value)),
    };
  }, [language]);
}
