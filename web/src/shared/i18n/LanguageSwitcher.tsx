import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isSupportedLanguage, supportedLanguages } from './i18n';

// Language names stay in their own language so people can find theirs whatever is active.
const languageNames: Record<(typeof supportedLanguages)[number], string> = {
  en: 'English',
  'zh-CN': '简体中文',
};

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const current = isSupportedLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
  return (
    <NativeSelect
      aria-label={t('language.label')}
      size="xs"
      value={current}
      onChange={(event) => void i18n.changeLanguage(event.currentTarget.value)}
      data={supportedLanguages.map((language) => ({ value: language, label: languageNames[language] }))}
    />
  );
}
