/** Every visible string goes through these keys; both languages are bundled (they are small). */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './translations/en.json';
import zhCN from './translations/zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORED = 'oms.language';

/** Before sign-in: the language last chosen in this browser (only the language is stored), else zh-CN. */
export function initialLanguage(): Language {
  const stored = window.localStorage.getItem(STORED);
  return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'zh-CN';
}

export function rememberLanguage(language: Language): void {
  window.localStorage.setItem(STORED, language);
  document.documentElement.lang = language;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
