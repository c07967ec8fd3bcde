import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const supportedLanguages = ['en', 'zh-CN'] as const;
export type SupportedLanguage = (typeof supportedLanguages)[number];

const storageKey = 'rapport.language';

export function isSupportedLanguage(value: unknown): value is SupportedLanguage {
  return supportedLanguages.includes(value as SupportedLanguage);
}

/** A remembered choice wins; otherwise follow the browser, so Chinese users start in Chinese. */
function detectLanguage(): SupportedLanguage {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isSupportedLanguage(stored)) return stored;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames); fall back to the browser.
  }
  const browserLanguage = typeof navigator === 'undefined' ? '' : navigator.language;
  return browserLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Remembering the choice is a convenience; the switch itself already happened.
  }
}

type Messages = { [key: string]: string | Messages };

function mergeMessages(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = typeof value === 'object' && typeof existing === 'object' ? mergeMessages({ ...existing }, value) : value;
  }
  return target;
}

// Each feature may keep its own strings in features/<feature>/i18n/<language>.json, so
// features added side by side never edit the same file; they merge over the shared ones.
const featureMessages = import.meta.glob<Messages>('../../features/*/i18n/*.json', { eager: true, import: 'default' });

function messagesFor(language: SupportedLanguage, shared: Messages): Messages {
  return Object.entries(featureMessages)
    .filter(([path]) => path.endsWith(`/${language}.json`))
    .reduce((messages, [, feature]) => mergeMessages(messages, feature), mergeMessages({}, shared));
}

export function initI18n() {
  i18next.on('languageChanged', applyLanguage);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: messagesFor('en', en) }, 'zh-CN': { translation: messagesFor('zh-CN', zhCN) } },
    lng: detectLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...supportedLanguages],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}
